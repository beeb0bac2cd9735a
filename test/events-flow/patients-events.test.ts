import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { serviceWithOutbox, shortType } from './outbox.ts';
import { startPatients } from './patients-service.ts';

const REGISTER = 'mutation($input: RegisterPatientInput!, $key: String) { result: registerPatient(input: $input, idempotencyKey: $key) { id } }';
const UPDATE = 'mutation($id: ID!, $input: UpdatePatientDemographicsInput!) { result: updatePatientDemographics(id: $id, input: $input) { id } }';
const ADD_COVERAGE = 'mutation($patientId: ID!, $input: AddCoverageInput!, $key: String) { result: addCoverage(patientId: $patientId, input: $input, idempotencyKey: $key) { id } }';
const RECORD_CONSENT = 'mutation($patientId: ID!, $input: RecordConsentInput!, $key: String) { result: recordConsent(patientId: $patientId, input: $input, idempotencyKey: $key) { id } }';

const newPatient = {
  name: { family: 'Quixbury', given: ['Odalys'] },
  birthDate: '1984-03-17',
  gender: 'FEMALE',
  nationalIdentifier: '123-45-6789',
  telecom: [{ system: 'EMAIL', value: 'odalys@example.org', use: 'HOME' }],
};
// Each test registers a person of its own: the patient index refuses a second registration of one person.
const personOf = (family: string, given: string, birthDate: string, nationalIdentifier: string) => ({ ...newPatient, name: { family, given: [given] }, birthDate, nationalIdentifier });
const demographicsPatient = personOf('Varnholt', 'Imre', '1971-09-02', '987-65-4321');
const coveredPatient = personOf('Ostrander', 'Lieke', '1990-12-30', '555-44-3333');
const coverage = { payerId: 'pay-01', memberId: 'M00012345', plan: 'Gold PPO', start: '2026-01-01' };
const consent = { category: 'DATA_SHARING', decision: 'DENY', start: '2026-01-01' };
/** What the patient told us: none of it may be in an event. */
const PATIENT_DATA = /Quixbury|Odalys|1984-03-17|123-45-6789|Varnholt|Imre|1971-09-02|987-65-4321|Ostrander|Lieke|1990-12-30|555-44-3333|odalys@|M00012345|Gold PPO|Elm Row/;

describe.each(databaseEngines)('patients events on $engine', ({ url }) => {
  const suite = serviceWithOutbox(() => startPatients(url));
  const { written } = suite;
  const call = (query: string, variables: Record<string, unknown>) => suite.service.call(query, variables);
  const result = async (query: string, variables: Record<string, unknown>) => {
    const response = await call(query, variables);
    expect(response.errors).toBeUndefined();
    return response.data!.result as { id: string };
  };

  it('announces a registration once per idempotency key, with the id only', async () => {
    const first = await result(REGISTER, { input: newPatient, key: 'register-1' });
    const events = await written();
    expect(events.map(shortType)).toEqual(['patient.registered']);
    expect(events[0]!.data).toEqual({ patientId: first.id });
    expect(await result(REGISTER, { input: newPatient, key: 'register-1' })).toEqual(first);
    expect(await written()).toEqual([]);
  });

  it('names the demographic fields that changed, never their values', async () => {
    const { id } = await result(REGISTER, { input: demographicsPatient });
    await written();
    const address = { line: ['9 Elm Row'], city: 'Madison', postalCode: '53703', country: 'US' };
    await result(UPDATE, { id, input: { address, telecom: [{ system: 'PHONE', value: '+1 555 010 2030', use: 'MOBILE' }] } });
    const events = await written();
    expect(events.map((event) => event.data)).toEqual([{ patientId: id, changed: ['telecom', 'address'] }]);
    expect(codesOf(await call(UPDATE, { id: 'pat-missing', input: { gender: 'OTHER' } }))).toEqual(['NOT_FOUND']);
    expect(await written()).toEqual([]);
  });

  it('announces a coverage and a consent once each, and nothing for a patient who does not exist', async () => {
    const { id: patientId } = await result(REGISTER, { input: coveredPatient });
    await written();
    const added = await result(ADD_COVERAGE, { patientId, input: coverage, key: 'coverage-1' });
    const recorded = await result(RECORD_CONSENT, { patientId, input: consent, key: 'consent-1' });
    await result(ADD_COVERAGE, { patientId, input: coverage, key: 'coverage-1' });
    await result(RECORD_CONSENT, { patientId, input: consent, key: 'consent-1' });
    expect((await written()).map((event) => [shortType(event), event.data])).toEqual([
      ['coverage.added', { coverageId: added.id, patientId, payerId: 'pay-01', status: 'ACTIVE', periodStart: coverage.start, periodEnd: null }],
      ['consent.recorded', { consentId: recorded.id, patientId, category: 'DATA_SHARING', decision: 'DENY' }],
    ]);
    expect(codesOf(await call(ADD_COVERAGE, { patientId: 'pat-missing', input: coverage }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await call(RECORD_CONSENT, { patientId: 'pat-missing', input: consent }))).toEqual(['NOT_FOUND']);
    expect(await written()).toEqual([]);
  });

  it('never puts what the patient told us into an event', async () => {
    const everything = await suite.service.subgraph.database.query<{ event: DomainEvent }>('SELECT event FROM outbox');
    expect(everything.length).toBeGreaterThan(0);
    expect(JSON.stringify(everything)).not.toMatch(PATIENT_DATA);
  });
});
