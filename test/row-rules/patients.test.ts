import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPatients, type SeededPatients } from '../../subgraphs/patients/demo-seed.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';
import { databaseEngines } from '../support/databases.ts';
import { adminCaller } from '../support/gateway-stand-in.ts';
import { codesOf } from '../support/graphql.ts';
import { callerOf, patientCaller, payerCaller, startScoped, type ScopedSubgraph } from './harness.ts';

const PATIENT = 'query($id: ID!) { patient(id: $id) { id coverages { payer { id } } consents { id } } }';
const ENTITIES = 'query($ids: [_Any!]!) { _entities(representations: $ids) { ... on Patient { id } } }';
const SEARCH = 'query($name: String!) { patients(search: { name: $name }, first: 100) { edges { node { id } } } }';
const UPDATE = 'mutation($id: ID!) { updatePatientDemographics(id: $id, input: { gender: UNKNOWN }) { id } }';
const CONSENT = 'mutation($id: ID!) { recordConsent(patientId: $id, input: { category: RESEARCH, decision: DENY, start: "2026-01-01" }) { id } }';
const REGISTER = 'mutation { registerPatient(input: { name: { family: "Doe", given: ["Jo"] }, birthDate: "1990-01-01", gender: OTHER }) { id } }';

/**
 * A patient whose token also carries staff scopes (a misconfigured client): the scopes let the
 * calls through, the row rules still keep it to its own record.
 */
const overScoped = (patientId: string) => {
  const caller = patientCaller(patientId);
  return { ...caller, scopes: [...caller.scopes, 'user/Patient.crus'] };
};

describe.each(databaseEngines)('patients row rules on $engine', ({ url }) => {
  let service: ScopedSubgraph;
  let seeded: SeededPatients;
  let own: string;
  let other: string;
  const membersOf = (payerId: string) => new Set(seeded.coverages.filter((c) => c.payerId === payerId).map((c) => c.patientId));

  beforeAll(async () => {
    service = await startScoped(patientsSubgraph, url);
    seeded = await seedPatients(service.subgraph.database, { count: 30, payerIds: ['payer-a', 'payer-b'] });
    [own, other] = seeded.patientIds as [string, string];
  });
  afterAll(() => service?.close());

  /** Every patient id a name search for "" would match: the search needs some text, so search each initial. */
  async function searchable(call: ReturnType<ScopedSubgraph['as']>): Promise<Set<string>> {
    const found = new Set<string>();
    for (const name of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      const { data, errors } = await call(SEARCH, { name });
      expect(errors).toBeUndefined();
      for (const edge of data!.patients.edges) found.add(edge.node.id);
    }
    return found;
  }

  it('a patient sees its own record and nothing of another, by id, by reference or by search', async () => {
    const call = service.as(overScoped(own));
    const mine = await call(PATIENT, { id: own });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.patient.id).toBe(own);
    const theirs = await call(PATIENT, { id: other });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.patient).toBeNull();
    const refs = await call(ENTITIES, { ids: [own, other].map((id) => ({ __typename: 'Patient', id })) });
    expect(refs.data!._entities).toEqual([{ id: own }, null]);
    expect([...(await searchable(call))]).toEqual([own]);
  });

  it('a payer sees only the patients it covers, with their coverages', async () => {
    const members = membersOf('payer-a');
    const outsider = seeded.patientIds.find((id) => !members.has(id))!;
    const call = service.as(payerCaller('payer-a'));
    expect(await searchable(call)).toEqual(members);
    const member = (await call(PATIENT, { id: [...members][0] })).data!.patient;
    expect(member.coverages.map((c: { payer: { id: string } }) => c.payer.id)).toContain('payer-a');
    expect((await call(PATIENT, { id: outsider })).data!.patient).toBeNull();
  });

  it('staff see everyone; an anonymous or unbound caller no one', async () => {
    expect((await searchable(service.as(callerOf('clinician')))).size).toBe(seeded.patientIds.length);
    expect((await service.as(callerOf('payer_partner'))(ENTITIES, { ids: [{ __typename: 'Patient', id: own }] })).data!._entities).toEqual([null]);
  });

  it('a patient changes only its own record: another is not found, registering is forbidden', async () => {
    const call = service.as(overScoped(own));
    expect((await call(UPDATE, { id: own })).errors).toBeUndefined();
    expect(codesOf(await call(UPDATE, { id: other }))).toEqual(['NOT_FOUND']);
    expect((await call(CONSENT, { id: own })).errors).toBeUndefined();
    expect(codesOf(await call(CONSENT, { id: other }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await call(REGISTER))).toEqual(['FORBIDDEN']);
    expect((await service.as(adminCaller)(REGISTER)).errors).toBeUndefined();
  });
});
