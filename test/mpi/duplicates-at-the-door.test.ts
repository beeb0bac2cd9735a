// Issue 14: registerPatient checks the registry first. A certain duplicate is refused, naming the
// patient already registered, unless the caller asserts a different person (recorded); a probable
// one is registered and queued for a data steward.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { patientsNamed } from '../support/access-records.ts';
import { codesOf } from '../support/graphql.ts';
import { startSeededSystem, type Call, type SeededSystem } from '../security/harness.ts';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterPatientInput!, $differentFrom: [ID!]) { registerPatient(input: $input, differentFrom: $differentFrom) { id } }
`;
const REVIEWS = /* GraphQL */ `
  query Reviews($status: MatchReviewStatus) {
    matchReviews(status: $status) { id grade score status patient { id name { text } } candidate { id nationalIdentifier } }
  }
`;

const beatrix = {
  name: { family: 'Quennell-Hartigan', given: ['Beatrix'] },
  birthDate: '1979-06-23',
  gender: 'FEMALE',
  nationalIdentifier: '614-20-7731',
  telecom: [{ system: 'PHONE', value: '+1 555 410 2290', use: 'MOBILE' }],
  address: { line: ['4 Larkspur Row'], city: 'Madison', state: 'WI', postalCode: '53711', country: 'US' },
};

describe('duplicates at the door', () => {
  let seeded: SeededSystem;
  let frontDesk: Call;
  let beatrixId: string;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    frontDesk = await seeded.as({ role: 'front_desk' });
    const first = await frontDesk(REGISTER, { input: beatrix });
    expect(first.errors).toBeUndefined();
    beatrixId = first.data!.registerPatient.id;
  });
  afterAll(() => seeded?.close());

  const reviewsOf = (patientId: string) =>
    seeded.db.patients.query<{ candidate_id: string; status: string; decided_by: string | null }>(
      'SELECT candidate_id, status, decided_by FROM match_review WHERE patient_id = $1 ORDER BY candidate_id',
      [patientId],
    );

  it('refuses a certain duplicate, naming the patient already registered and no patient data, and records the disclosure', async () => {
    const count = async () => (await seeded.db.patients.query<{ n: number }>('SELECT count(*)::int AS n FROM patient'))[0]!.n;
    const before = await count();
    const again = await frontDesk(REGISTER, { input: { ...beatrix, nationalIdentifier: null } });
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions).toMatchObject({ reason: 'CERTAIN_DUPLICATE', existingPatientId: beatrixId });
    expect(JSON.stringify(again.errors)).not.toMatch(/quennell|beatrix|1979|7731|larkspur/i);
    expect(await count()).toBe(before);
    await vi.waitFor(async () => expect(patientsNamed(await seeded.recordsOf(again.requestId))).toEqual([beatrixId]), { timeout: 5_000, interval: 50 });
  });

  it('registers a certain match the caller asserts is another person, and records who asserted it', async () => {
    const asserted = await frontDesk(REGISTER, { input: { ...beatrix, nationalIdentifier: null }, differentFrom: [beatrixId] });
    expect(asserted.errors).toBeUndefined();
    const reviews = await reviewsOf(asserted.data!.registerPatient.id);
    expect(reviews).toEqual([{ candidate_id: beatrixId, status: 'NOT_DUPLICATE', decided_by: expect.any(String) }]);
    const unknown = await frontDesk(REGISTER, { input: { ...beatrix, nationalIdentifier: null }, differentFrom: ['pat-nobody'] });
    expect(codesOf(unknown)).toEqual(['NOT_FOUND']);
  });

  it("registers a probable duplicate and queues it for a data steward, who sees both records as the front desk would", async () => {
    // Married and moved: new surname, no address or phone on file yet.
    const married = { ...beatrix, name: { family: 'Oyelaran', given: ['Beatrix'] }, nationalIdentifier: null, telecom: [], address: null };
    const registered = await frontDesk(REGISTER, { input: married });
    expect(registered.errors).toBeUndefined();
    const newId = registered.data!.registerPatient.id;
    // Against Beatrix, and against the second Beatrix registered above as another person.
    expect(await reviewsOf(newId)).toEqual(expect.arrayContaining([{ candidate_id: beatrixId, status: 'OPEN', decided_by: null }]));

    const steward = await seeded.as({ role: 'data_steward' });
    const queue = await steward(REVIEWS, {});
    expect(queue.errors).toBeUndefined();
    const review = queue.data!.matchReviews.find((entry: { patient: { id: string }; candidate: { id: string } }) => entry.patient.id === newId && entry.candidate.id === beatrixId);
    expect(review).toMatchObject({ grade: 'PROBABLE', status: 'OPEN', candidate: { id: beatrixId, nationalIdentifier: '***-**-7731' } });
    await vi.waitFor(async () => expect(patientsNamed(await seeded.recordsOf(queue.requestId))).toEqual(expect.arrayContaining([beatrixId, newId])), {
      timeout: 5_000,
      interval: 50,
    });
    // The queue is the steward's: the front desk does not get it.
    expect(codesOf(await frontDesk(REVIEWS, {}))).toEqual(['FORBIDDEN']);
  });
});
