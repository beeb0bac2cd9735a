import { graphqlSync, parse, print, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { accessOutcome } from '../../gateway/access-record/access-record.ts';
import { isPatientData } from '../../gateway/access-record/patient-data.ts';
import { PATIENT_ID_KEY, withPatientIds } from '../../gateway/access-record/patient-ids.ts';
import { readResponse } from '../../gateway/access-record/read-response.ts';
import { responseShape } from '../../gateway/minimization/response-shape.ts';
import { rootValue, schema } from './fixture-schema.ts';

const compact = (document: DocumentNode) => print(document).replace(/\s+/g, ' ');

/** Executes the operation with the patient ids added, as the gateway would, and reads its data. */
function read(query: string) {
  const document = withPatientIds(parse(query), schema);
  const { data } = graphqlSync({ schema, source: print(document), rootValue });
  const executed = JSON.parse(JSON.stringify(data));
  return { executed, ...readResponse(responseShape(schema, document, null)!, executed) };
}

describe('withPatientIds', () => {
  it('adds the hidden id to every selection on Patient: fields, fragments, inline fragments', () => {
    const document = withPatientIds(
      parse('{ appointment(id: "a") { patient { ...Card } } search(text: "x") { ... on Patient { birthDate } } } fragment Card on Patient { name { text } }'),
      schema,
    );
    expect(compact(document)).toBe(
      '{ appointment(id: "a") { patient { ...Card __patientId: id } } search(text: "x") { ... on Patient { birthDate __patientId: id } } } ' +
        'fragment Card on Patient { name { text } __patientId: id }',
    );
  });

  it('leaves a document that selects no patient as it is', () => {
    const document = parse('{ appointment(id: "a") { reason } }');
    expect(withPatientIds(document, schema)).toBe(document);
  });

  it('refuses a document that uses the hidden key', () => {
    expect(() => withPatientIds(parse(`{ appointment(id: "a") { ${PATIENT_ID_KEY}: reason } }`), schema)).toThrow(/reserved/);
  });
});

describe('readResponse', () => {
  it('collects the patient ids, takes them out, and reports the coordinates returned', () => {
    const { executed, data, patientIds, fieldsReturned } = read('{ appointment(id: "a") { patient { name { text } } } patients { birthDate } }');
    expect(executed.appointment.patient[PATIENT_ID_KEY]).toBe('pat-1');
    expect(data).toEqual({ appointment: { patient: { name: { text: 'Jane Doe' } } }, patients: [{ birthDate: '1980-04-12' }, null] });
    expect(JSON.stringify(data)).not.toContain(PATIENT_ID_KEY);
    expect(patientIds).toEqual(['pat-1']);
    expect(fieldsReturned).toEqual(['Appointment.patient', 'HumanName.text', 'Patient.birthDate', 'Patient.name', 'Query.appointment', 'Query.patients']);
  });

  it('leaves the executed data as it was', () => {
    const { executed } = read('{ patient(id: "pat-1") { id } }');
    expect(executed.patient).toEqual({ id: 'pat-1', [PATIENT_ID_KEY]: 'pat-1' });
  });

  it('reports a null field as not returned', () => {
    const { fieldsReturned } = readResponse(responseShape(schema, parse('{ patient(id: "x") { id } }'), null)!, { patient: null });
    expect(fieldsReturned).toEqual([]);
  });

  it('reads concrete coordinates at abstract positions', () => {
    const { fieldsReturned, patientIds } = read('{ search(text: "x") { __typename ... on Practitioner { birthDate } ... on Patient { birthDate } } }');
    expect(fieldsReturned).toEqual(['Patient.birthDate', 'Practitioner.birthDate', 'Query.search']);
    expect(patientIds).toEqual(['pat-1']);
  });
});

describe('isPatientData', () => {
  const shape = responseShape(schema, parse('{ appointment(id: "a") { reason patient { name { family } } } search(text: "x") { __typename } }'), null);
  const denied = (path: (string | number)[], coordinate: string) => isPatientData({ path, coordinate }, shape, schema);

  it('is a field of Patient, a field returning a Patient, or a field below one', () => {
    expect(denied(['appointment', 'patient', 'nationalIdentifier'], 'Patient.nationalIdentifier')).toBe(true);
    expect(denied(['appointment', 'patient'], 'Appointment.patient')).toBe(true);
    expect(denied(['appointment', 'patient', 'name', 'text'], 'HumanName.text')).toBe(true);
  });

  it('is not a field outside any patient', () => {
    expect(denied(['appointment', 'reason'], 'Appointment.reason')).toBe(false);
    expect(denied(['search', 0, 'name'], 'Location.name')).toBe(false);
  });

  it('counts a path it cannot follow as patient data', () => {
    expect(denied(['elsewhere', 'name'], 'Location.name')).toBe(true);
  });
});

describe('accessOutcome', () => {
  const forbidden = { message: 'Not authorized', extensions: { code: 'FORBIDDEN' } };
  it('tells allowed, partially denied, denied and error apart', () => {
    expect(accessOutcome(undefined, [], ['Patient.birthDate'])).toBe('allowed');
    expect(accessOutcome([forbidden], ['Patient.nationalIdentifier'], ['Patient.birthDate'])).toBe('partially_denied');
    expect(accessOutcome([forbidden], ['Query.patient'], [])).toBe('denied');
    expect(accessOutcome([{ message: 'x', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }], [], ['Patient.birthDate'])).toBe('error');
  });
});
