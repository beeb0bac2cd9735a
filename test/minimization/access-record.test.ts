import { buildSchema, getNamedType, graphqlSync, isObjectType, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessOutcome } from '../../gateway/access-record/access-record.ts';
import { isPatientData } from '../../gateway/access-record/patient-data.ts';
import { fieldsReturnedIn } from '../../gateway/access-record/read-response.ts';
import { responseShape } from '../../gateway/minimization/response-shape.ts';
import { otherTypes, patientOwnedTypes } from '../../policies/patient-data.ts';
import { supergraphPath } from '../../schema/catalog.ts';
import { rootValue, schema } from './fixture-schema.ts';

/** Executes the operation and reads which coordinates its data returned. */
function read(query: string) {
  const document = parse(query);
  const { data } = graphqlSync({ schema, source: query, rootValue });
  const executed = JSON.parse(JSON.stringify(data));
  return { executed, fieldsReturned: fieldsReturnedIn(responseShape(schema, document, null)!, executed) };
}

describe('fieldsReturnedIn', () => {
  it('reports the coordinates with a value, and leaves the data as it was', () => {
    const { executed, fieldsReturned } = read('{ appointment(id: "a") { patient { name { text } } } patients { birthDate } }');
    expect(executed).toEqual({ appointment: { patient: { name: { text: 'Jane Doe' } } }, patients: [{ birthDate: '1980-04-12' }, null] });
    expect(fieldsReturned).toEqual(['Appointment.patient', 'HumanName.text', 'Patient.birthDate', 'Patient.name', 'Query.appointment', 'Query.patients']);
  });

  it('reports a null field as not returned', () => {
    expect(fieldsReturnedIn(responseShape(schema, parse('{ patient(id: "x") { id } }'), null)!, { patient: null })).toEqual([]);
  });

  it('reads concrete coordinates at abstract positions', () => {
    const { fieldsReturned } = read('{ search(text: "x") { __typename ... on Practitioner { birthDate } ... on Patient { birthDate } } }');
    expect(fieldsReturned).toEqual(['Patient.birthDate', 'Practitioner.birthDate', 'Query.search']);
  });
});

describe('isPatientData', () => {
  const shape = responseShape(schema, parse('{ appointment(id: "a") { reason patient { name { family } } } search(text: "x") { __typename } }'), null);
  const denied = (path: (string | number)[], coordinate: string) => isPatientData({ path, coordinate }, shape, schema);

  it('is a field of a patient-owned type, a field returning one, or a field below one', () => {
    expect(denied(['appointment', 'patient', 'nationalIdentifier'], 'Patient.nationalIdentifier')).toBe(true);
    expect(denied(['appointment', 'patient'], 'Appointment.patient')).toBe(true);
    expect(denied(['appointment', 'reason'], 'Appointment.reason')).toBe(true);
    expect(denied(['appointment', 'patient', 'name', 'text'], 'HumanName.text')).toBe(true);
  });

  it('is not a field outside any patient', () => {
    expect(denied(['search', 0, 'name'], 'Location.name')).toBe(false);
  });

  it('counts a path it cannot follow as patient data', () => {
    expect(denied(['elsewhere', 'name'], 'Location.name')).toBe(true);
  });
});

describe('the patient-owned types (policies/patient-data.ts)', () => {
  const supergraph = buildSchema(readFileSync(supergraphPath, 'utf8'));
  const objectTypes = Object.values(supergraph.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('_'));

  it('classify every object type of the supergraph, each once', () => {
    const unclassified = objectTypes.map((type) => type.name).filter((name) => !patientOwnedTypes.has(name) && !otherTypes.has(name));
    expect(unclassified, 'add each to policies/patient-data.ts: patient-owned or not').toEqual([]);
    expect([...patientOwnedTypes].filter((name) => otherTypes.has(name))).toEqual([]);
  });

  it('own every type that holds a patient', () => {
    const holdingPatients = objectTypes.filter(
      (type) => isObjectType(type) && Object.values(type.getFields()).some((field) => getNamedType(field.type).name === 'Patient' && !['Query', 'Mutation'].includes(type.name)),
    );
    expect(holdingPatients.map((type) => type.name).filter((name) => !patientOwnedTypes.has(name))).toEqual([]);
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
