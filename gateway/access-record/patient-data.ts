import { getNamedType, type GraphQLSchema } from 'graphql';
import { patientOwnedTypes } from '../../policies/patient-data.ts';
import { fieldAt, type FieldShape, type Selection } from '../minimization/response-shape.ts';

/** A field the authorization plugin removed from the operation, as it leaves it on the context. */
export interface DeniedField {
  path: readonly (string | number)[];
  /** `Patient.nationalIdentifier` */
  coordinate: string;
}

/**
 * Whether a denied field was patient data: a field of a patient-owned type (policies/patient-data.ts),
 * a field returning one, or a field below one on its path. Where the path cannot be followed in
 * the executed operation, it counts as patient data: an access record too many beats one missing.
 */
export function isPatientData(denied: DeniedField, shape: Selection<FieldShape> | null, schema: GraphQLSchema): boolean {
  const [parentType = ''] = denied.coordinate.split('.');
  const field = fieldAt(schema, denied.coordinate);
  if (patientOwnedTypes.has(parentType) || (field && patientOwnedTypes.has(getNamedType(field.type).name))) return true;
  let selection = shape;
  for (const key of denied.path.slice(0, -1)) {
    if (typeof key === 'number') continue;
    const ancestor = selection && [...selection.byType.values()].map((fields) => fields.get(key)).find(Boolean);
    if (!ancestor) return true;
    if (patientOwnedTypes.has(ancestor.typeName)) return true;
    selection = ancestor.selection ?? null;
  }
  return false;
}
