import type { Queryable } from '../../platform/database/database.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { emit } from '../../platform/events/outbox.ts';
import { newId } from '../../platform/ids.ts';
import { decide, requireTransition } from './claim-lifecycle.ts';
import type { BillingContext } from './context.ts';
import type { Adjudication, Charge, Claim, ClaimDraft } from './model.ts';
import { totalCents } from './money.ts';
import { lockPatientCharges } from './patient-charges.ts';
import { billingStores } from './stores.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';

/** A DRAFT claim for these charges. */
export const newClaim = (id: string, draft: Omit<ClaimDraft, 'chargeIds'>, charges: readonly Charge[], createdAt: Date): Claim => ({
  id,
  status: 'DRAFT',
  payerId: draft.payerId,
  patientId: draft.patientId,
  memberId: draft.memberId,
  totalCents: totalCents(charges),
  approvedCents: null,
  denialReason: null,
  payerReference: null,
  createdAt,
  submittedAt: null,
  adjudicatedAt: null,
});

/**
 * Drafts a claim for some of the patient's charges; a charge is on one claim in play at a time.
 * Not announced: a draft is billing's own work in progress, and the payer hears of the claim when it is submitted.
 */
export async function createClaim(tx: Queryable, scope: RowScope, draft: ClaimDraft, createdAt = new Date()): Promise<string> {
  const stores = billingStores(tx, scope);
  if ((await stores.payers.byIds([draft.payerId])).length === 0) throw notFound('Payer', draft.payerId);
  const charges = await lockPatientCharges(stores, draft.patientId, draft.chargeIds);
  const voided = charges.filter((charge) => charge.status === 'VOID').map((charge) => charge.id);
  if (voided.length > 0) throw conflict('CHARGE_VOID', 'A void charge cannot be claimed', { chargeIds: voided });
  const claimed = await stores.claims.chargesOnOpenClaims(draft.chargeIds);
  if (claimed.length > 0) throw conflict('ALREADY_CLAIMED', 'Some charges are already on a claim that was not denied', { chargeIds: claimed });
  const claim = newClaim(newId('clm'), draft, charges, createdAt);
  await stores.claims.addWithCharges([claim], charges.map((charge) => ({ claimId: claim.id, chargeId: charge.id })));
  return claim.id;
}

/**
 * Sends a DRAFT claim to its payer. No transaction is held while the payer answers; the claim
 * becomes SUBMITTED only if it is still a DRAFT then, and stays a DRAFT when the payer fails.
 */
export async function submitClaim({ stores, scope, payer, write }: BillingContext, claimId: string): Promise<Claim> {
  const [claim] = await stores.claims.byIds([claimId]);
  if (!claim) throw notFound('Claim', claimId);
  requireTransition(claim, 'SUBMITTED');
  const charges = await stores.charges.chargesOfClaims([claimId]);
  const { payerReference } = await payer.submitClaim({
    claimId,
    payerId: claim.payerId,
    patientId: claim.patientId,
    memberId: claim.memberId,
    totalCents: claim.totalCents,
    serviceCodes: charges.map((charge) => charge.code),
  });
  const submitted = await write(async (tx) => {
    const marked = await billingStores(tx, scope).claims.markSubmitted(claimId, payerReference, new Date());
    if (marked) await emit(tx, 'org.healthgraph.claim.submitted.v1', { claimId, patientId: marked.patientId, payerId: marked.payerId });
    return marked;
  });
  if (!submitted) throw conflict('INVALID_TRANSITION', `Claim ${claimId} is no longer a DRAFT`, { to: 'SUBMITTED' });
  return submitted;
}

/**
 * Records a payer's decision on a claim within `scope`: a payer decides only the claims addressed
 * to it; another's is not found, exactly like a claim that does not exist, and nothing about it
 * (not even its status) is revealed.
 */
export async function recordAdjudication(tx: Queryable, scope: RowScope, adjudication: Adjudication): Promise<Claim> {
  const { claims } = billingStores(tx, scope);
  const claim = await claims.lock(adjudication.claimId);
  if (!claim) throw notFound('Claim', adjudication.claimId);
  const decided = await claims.recordDecision(claim.id, decide(claim, adjudication));
  if (!decided) throw notFound('Claim', adjudication.claimId);
  const { patientId, payerId } = decided;
  await emit(tx, 'org.healthgraph.claim.adjudicated.v1', { claimId: claim.id, patientId, payerId, outcome: adjudication.outcome });
  return decided;
}
