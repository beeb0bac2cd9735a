// Issue 11, finding 1: a payer decided other payers' claims (recordAdjudication read with every row),
// and the CONFLICT on a wrong transition told any payer the status of any claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import { errorShape, payerToken, pick, startSeededSystem, type Call, type SeededSystem } from './harness.ts';

const ADJUDICATE = /* GraphQL */ `
  mutation Adjudicate($input: RecordAdjudicationInput!) {
    recordAdjudication(input: $input) { id status memberId total { value } approvedAmount { value } denialReason }
  }
`;
const CLAIM = 'query Claim($id: ID!) { claim(id: $id) { id status memberId total { value } approvedAmount { value } denialReason adjudicatedAt } }';

/** Same length and shape as the demo's claim ids; no such claim exists. */
const UNKNOWN_CLAIM = 'clm-demo-99999';

const decision = (claimId: string, outcome: 'ACCEPTED' | 'DENIED') =>
  outcome === 'ACCEPTED' ? { claimId, outcome, approvedAmount: 0.01 } : { claimId, outcome, denialReason: 'Not our member' };

describe('finding 1: a payer adjudicates its own claims only', () => {
  let seeded: SeededSystem;
  let payer: Call;
  let billingSpecialist: Call;
  const claimsOf = (payerId: string, status: string, count = 1) =>
    pick(seeded.db.billing, 'SELECT id FROM claim WHERE payer_id = $1 AND status = $2 ORDER BY id', [payerId, status], count);

  beforeAll(async () => {
    seeded = await startSeededSystem();
    payer = await seeded.as(payerToken('pay-01'));
    billingSpecialist = await seeded.as({ role: 'billing_specialist' });
  });
  afterAll(() => seeded?.close());

  const claimAsBilling = async (id: string) => (await billingSpecialist(CLAIM, { id })).data!.claim;

  it.each(['ACCEPTED', 'DENIED'] as const)(
    "another payer's SUBMITTED claim, decided %s, is NOT_FOUND exactly as a claim that does not exist, and stays as it was",
    async (outcome) => {
      // One claim per outcome: on today's code the first call decides it.
      const claimId = (await claimsOf('pay-04', 'SUBMITTED', 2))[outcome === 'ACCEPTED' ? 0 : 1];
      const before = await claimAsBilling(claimId!);
      expect(before.status).toBe('SUBMITTED');

      const answer = await payer(ADJUDICATE, { input: decision(claimId!, outcome) });
      const unknown = await payer(ADJUDICATE, { input: decision(UNKNOWN_CLAIM, outcome) });
      expect(codesOf(unknown)).toEqual(['NOT_FOUND']);
      expect(answer.data?.recordAdjudication ?? null).toBeNull();
      expect(codesOf(answer)).toEqual(['NOT_FOUND']);
      expect(errorShape(answer, claimId!)).toEqual(errorShape(unknown, UNKNOWN_CLAIM));
      expect(JSON.stringify(answer)).not.toContain(before.memberId);

      expect(await claimAsBilling(claimId!)).toEqual(before);
    },
  );

  it("does not reveal the status of another payer's decided claim: a wrong transition is NOT_FOUND too, not CONFLICT", async () => {
    for (const status of ['PAID', 'DENIED', 'DRAFT']) {
      const [claimId] = await claimsOf('pay-04', status);
      const before = await claimAsBilling(claimId!);
      const answer = await payer(ADJUDICATE, { input: decision(claimId!, 'ACCEPTED') });
      const unknown = await payer(ADJUDICATE, { input: decision(UNKNOWN_CLAIM, 'ACCEPTED') });
      expect({ status, codes: codesOf(answer) }).toEqual({ status, codes: ['NOT_FOUND'] });
      expect(errorShape(answer, claimId!)).toEqual(errorShape(unknown, UNKNOWN_CLAIM));
      expect(await claimAsBilling(claimId!)).toEqual(before);
    }
  });

  it('still adjudicates its own SUBMITTED claim', async () => {
    const [claimId] = await claimsOf('pay-01', 'SUBMITTED');
    const answer = await payer(ADJUDICATE, { input: decision(claimId!, 'ACCEPTED') });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.recordAdjudication).toMatchObject({ id: claimId, status: 'ACCEPTED', approvedAmount: { value: 0.01 } });
    expect(await claimAsBilling(claimId!)).toMatchObject({ status: 'ACCEPTED', approvedAmount: { value: 0.01 } });
  });
});
