import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { newVisit, OPERATIONS, startBilling, type BillingService } from './harness.ts';

const ELIGIBILITY = `query($patientId: ID!, $payerId: ID!, $serviceCode: String!) {
  result: checkEligibility(patientId: $patientId, payerId: $payerId, serviceCode: $serviceCode) {
    eligible coveragePercent copay { value currency } message checkedAt serviceCode payer { id name }
  }
}`;

describe.each(databaseEngines)('eligibility and the payer adapter on $engine', ({ url }) => {
  let billing: BillingService;
  beforeAll(async () => {
    billing = await startBilling(url);
  });
  afterAll(async () => {
    await billing?.close();
  });

  const check = (patientId: string, payerId: string, serviceCode: string) => billing.call(ELIGIBILITY, { patientId, payerId, serviceCode });

  it('answers the same question the same way, with coverage among 0, 50, 80 and 100 percent', async () => {
    const answers = [];
    for (let n = 0; n < 16; n++) {
      const patientId = `pat-${n}`;
      const first = (await check(patientId, 'pay-02', '99213')).data!.result;
      const { checkedAt: _, ...again } = (await check(patientId, 'pay-02', '99213')).data!.result;
      const { checkedAt, ...stable } = first;
      expect(again).toEqual(stable);
      expect(Date.parse(checkedAt)).toBeGreaterThan(0);
      answers.push(first);
    }
    expect(new Set(answers.map((answer) => answer.coveragePercent)).size).toBeGreaterThan(1);
    for (const answer of answers) {
      expect([0, 50, 80, 100]).toContain(answer.coveragePercent);
      expect(answer.eligible).toBe(answer.coveragePercent > 0);
      expect(answer.copay.value).toBeLessThanOrEqual(110);
      expect(answer).toMatchObject({ serviceCode: '99213', payer: { id: 'pay-02', name: 'Harbor Mutual Health' }, copay: { currency: 'USD' } });
      if (!answer.eligible) expect(answer.copay.value).toBe(0);
    }
  });

  it('has one plan that never covers a cosmetic procedure', async () => {
    for (let n = 0; n < 8; n++) {
      const answer = (await check(`pat-${n}`, 'pay-04', '15788')).data!.result;
      expect(answer).toMatchObject({ eligible: false, coveragePercent: 0, copay: { value: 0 }, message: 'Cosmetic procedures are not covered by this plan' });
    }
  });

  it('checks the payer and the code before asking', async () => {
    expect(codesOf(await check('pat-1', 'pay-unknown', '99213'))).toEqual(['NOT_FOUND']);
    const unknownCode = await check('pat-1', 'pay-01', 'X1');
    expect([codesOf(unknownCode), unknownCode.errors![0]!.extensions!.reason]).toEqual([['BAD_USER_INPUT'], 'UNKNOWN_CODE']);
    expect(codesOf(await check(' ', 'pay-01', '99213'))).toEqual(['BAD_USER_INPUT']);
  });

  it('answers UPSTREAM_UNAVAILABLE when the payer is down, and changes nothing', async () => {
    const visit = newVisit();
    const charges = await billing.capture(visit, ['99214']);
    const input = { patientId: visit.patientId, payerId: 'pay-05', memberId: 'MA-1', chargeIds: [charges[0]!.id] };
    const claim = await billing.result(OPERATIONS.createClaim, { input });
    billing.payer.available = false;
    try {
      const eligibility = await check(visit.patientId, 'pay-05', '99214');
      expect(codesOf(eligibility)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(eligibility.errors![0]!.message).toBe('Payer pay-05 did not answer; nothing was changed, try again later');
      expect(codesOf(await billing.call(OPERATIONS.submitClaim, { claimId: claim.id }))).toEqual(['UPSTREAM_UNAVAILABLE']);
      const stored = (await billing.call(`{ claim(id: "${claim.id}") { status submittedAt } }`)).data!.claim;
      expect(stored).toEqual({ status: 'DRAFT', submittedAt: null });
    } finally {
      billing.payer.available = true;
    }
    expect((await billing.result(OPERATIONS.submitClaim, { claimId: claim.id })).status).toBe('SUBMITTED');
    expect(await billing.count('SELECT count(*) FROM claim WHERE id = $1 AND payer_reference IS NOT NULL', [claim.id])).toBe(1);
  });
});
