import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { newVisit, OPERATIONS, reasonOf, startBilling, type BillingService } from './harness.ts';

describe.each(databaseEngines)('claims on $engine', ({ url }) => {
  let billing: BillingService;
  beforeAll(async () => {
    billing = await startBilling(url);
  });
  afterAll(() => billing?.close());

  async function draftClaim(codes = ['99213', '93000']) {
    const visit = newVisit();
    const charges = await billing.capture(visit, codes);
    const input = { patientId: visit.patientId, payerId: 'pay-01', memberId: 'M00012345', chargeIds: charges.map((charge) => charge.id) };
    return { visit, charges, claim: await billing.result(OPERATIONS.createClaim, { input }) };
  }
  const adjudicate = (claimId: string, input: Record<string, unknown>) => billing.call(OPERATIONS.adjudicate, { input: { claimId, ...input } });

  it('follows a claim from capture to PAID', async () => {
    const { visit, charges, claim } = await draftClaim();
    expect(charges.map((charge) => charge.amount.value)).toEqual([110, 45]);
    expect(claim).toMatchObject({
      status: 'DRAFT',
      memberId: 'M00012345',
      total: { value: 155 },
      approvedAmount: null,
      submittedAt: null,
      payer: { id: 'pay-01', name: 'Cascade Health Insurance' },
      patient: { id: visit.patientId },
    });
    expect(claim.charges.map((charge: { id: string }) => charge.id).sort()).toEqual(charges.map((charge) => charge.id).sort());

    const submitted = await billing.result(OPERATIONS.submitClaim, { claimId: claim.id });
    expect(submitted.status).toBe('SUBMITTED');
    expect(Date.parse(submitted.submittedAt)).toBeGreaterThan(0);

    const accepted = (await adjudicate(claim.id, { outcome: 'ACCEPTED', approvedAmount: 124.4 })).data!.result;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', approvedAmount: { value: 124.4 }, denialReason: null });
    expect(accepted.adjudicatedAt).not.toBeNull();

    const paid = (await adjudicate(claim.id, { outcome: 'PAID' })).data!.result;
    expect(paid).toMatchObject({ status: 'PAID', approvedAmount: { value: 124.4 }, adjudicatedAt: accepted.adjudicatedAt });
    const patient = (await billing.call(OPERATIONS.patient, { id: visit.patientId })).data!._entities[0];
    expect(patient.claims).toEqual([{ id: claim.id, status: 'PAID' }]);
  });

  it('denies with a reason, and lets the charges be claimed again', async () => {
    const { visit, charges, claim } = await draftClaim(['99212']);
    await billing.result(OPERATIONS.submitClaim, { claimId: claim.id });
    expect(codesOf(await adjudicate(claim.id, { outcome: 'DENIED' }))).toEqual(['BAD_USER_INPUT']);
    const denied = (await adjudicate(claim.id, { outcome: 'DENIED', denialReason: ' Prior authorization missing ' })).data!.result;
    expect(denied).toMatchObject({ status: 'DENIED', denialReason: 'Prior authorization missing', approvedAmount: null });
    const again = { patientId: visit.patientId, payerId: 'pay-02', memberId: 'H-777', chargeIds: [charges[0]!.id] };
    expect((await billing.result(OPERATIONS.createClaim, { input: again })).status).toBe('DRAFT');
  });

  it('refuses illegal transitions as CONFLICT INVALID_TRANSITION, changing nothing', async () => {
    const { claim } = await draftClaim(['99214']);
    for (const outcome of ['ACCEPTED', 'DENIED', 'PAID']) {
      const response = await adjudicate(claim.id, outcome === 'ACCEPTED' ? { outcome, approvedAmount: 1 } : outcome === 'DENIED' ? { outcome, denialReason: 'x' } : { outcome });
      expect(codesOf(response), outcome).toEqual(['CONFLICT']);
      expect(reasonOf(response)).toBe('INVALID_TRANSITION');
      expect(response.errors![0]!.extensions).toMatchObject({ from: 'DRAFT', to: outcome });
    }
    await billing.result(OPERATIONS.submitClaim, { claimId: claim.id });
    expect(reasonOf(await billing.call(OPERATIONS.submitClaim, { claimId: claim.id }))).toBe('INVALID_TRANSITION');
    expect(reasonOf(await adjudicate(claim.id, { outcome: 'PAID' }))).toBe('INVALID_TRANSITION');
    const claimNow = await billing.call(`{ claim(id: "${claim.id}") { status } }`);
    expect(claimNow.data!.claim.status).toBe('SUBMITTED');
  });

  it('checks the adjudication against the claim: approved amount within the total, fields that fit the outcome', async () => {
    const { claim } = await draftClaim(['99213']);
    await billing.result(OPERATIONS.submitClaim, { claimId: claim.id });
    const over = await adjudicate(claim.id, { outcome: 'ACCEPTED', approvedAmount: 110.01 });
    expect([codesOf(over), reasonOf(over)]).toEqual([['BAD_USER_INPUT'], 'APPROVED_EXCEEDS_TOTAL']);
    expect(codesOf(await adjudicate(claim.id, { outcome: 'ACCEPTED' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await adjudicate(claim.id, { outcome: 'ACCEPTED', approvedAmount: 50, denialReason: 'no' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await adjudicate(claim.id, { outcome: 'DENIED', denialReason: 'no', approvedAmount: 1 }))).toEqual(['BAD_USER_INPUT']);
    expect((await adjudicate(claim.id, { outcome: 'ACCEPTED', approvedAmount: 110 })).data!.result.approvedAmount).toEqual({ value: 110 });
  });

  it('drafts claims only for the patient’s own charges that are not void nor already claimed', async () => {
    const { visit, charges } = await draftClaim(['99215']);
    const other = newVisit();
    const [foreign] = await billing.capture(other, ['99212']);
    const input = (chargeIds: string[], payerId = 'pay-01') => ({ input: { patientId: visit.patientId, payerId, memberId: 'M1', chargeIds } });

    const claimed = await billing.call(OPERATIONS.createClaim, input([charges[0]!.id]));
    expect([codesOf(claimed), reasonOf(claimed)]).toEqual([['CONFLICT'], 'ALREADY_CLAIMED']);
    const notTheirs = await billing.call(OPERATIONS.createClaim, input([foreign!.id]));
    expect([codesOf(notTheirs), reasonOf(notTheirs)]).toEqual([['BAD_USER_INPUT'], 'CHARGE_OF_ANOTHER_PATIENT']);
    expect(codesOf(await billing.call(OPERATIONS.createClaim, input(['chg-unknown'])))).toEqual(['NOT_FOUND']);
    expect(codesOf(await billing.call(OPERATIONS.createClaim, input([charges[0]!.id], 'pay-unknown')))).toEqual(['NOT_FOUND']);
    expect(codesOf(await billing.call(OPERATIONS.createClaim, input([])))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await billing.call(OPERATIONS.createClaim, input([foreign!.id, foreign!.id])))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await billing.call(OPERATIONS.submitClaim, { claimId: 'clm-unknown' }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await adjudicate('clm-unknown', { outcome: 'PAID' }))).toEqual(['NOT_FOUND']);
    expect(await billing.count('SELECT count(*) FROM claim WHERE patient_id = $1', [visit.patientId])).toBe(1);
  });
});
