import { Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type FieldNode, type GraphQLSchema } from 'graphql';
import { badInput } from '../../platform/errors.ts';

/** The response key of the patient id the access record adds: read, then removed, before the response leaves. */
export const PATIENT_ID_KEY = '__patientId';

const PATIENT = 'Patient';

const hiddenPatientId: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: PATIENT_ID_KEY },
  name: { kind: Kind.NAME, value: 'id' },
};

/**
 * The document with `__patientId: id` in every selection set on Patient (fields, fragments and
 * inline fragments alike), so that the access record knows whose data an operation returned
 * even when the caller did not select the id: `appointment(id: "a1") { patient { name { text } } }`.
 * Returns `document` itself when it selects no Patient. A document that already uses the key
 * is refused: the key must stay ours to remove.
 */
export function withPatientIds(document: DocumentNode, schema: GraphQLSchema): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        if (field !== hiddenPatientId && field.alias?.value === PATIENT_ID_KEY) throw badInput(`The alias ${PATIENT_ID_KEY} is reserved`);
      },
      SelectionSet(selectionSet) {
        if (typeInfo.getParentType()?.name !== PATIENT) return undefined;
        return { ...selectionSet, selections: [...selectionSet.selections, hiddenPatientId] };
      },
    }),
  );
}
