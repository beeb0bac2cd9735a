import { badInput, conflict } from '../../platform/errors.ts';
import { requiredText } from '../../platform/validation.ts';
import type { ClaimDecision } from './claim-store.ts';
import type { Adjudication, Claim, ClaimStatus } from './model.ts';
import { centsFrom } from './money.ts';

/** DRAFT -> SUBMITTED -> ACCEPTED -> PAID, or SUBMITTED -> DENIED. */
const NEXT: Record<ClaimStatus, readonly ClaimStatus[]> = {
  DRAFT: ['SUBMITTED'],
  SUBMITTED: ['ACCEPTED', 'DENIED'],
  ACCEPTED: ['PAID'],
  DENIED: [],
  PAID: [],
};

export function requireTransition(claim: Claim, to: ClaimStatus): void {
  if (!NEXT[claim.status].includes(to)) {
    throw conflict('INVALID_TRANSITION', `Claim ${claim.id} is ${claim.status} and cannot become ${to}`, { from: claim.status, to });
  }
}

/** The payer's decision as a change to the claim. Fields that do not belong to the outcome are refused, not ignored. */
export function decide(claim: Claim, adjudication: Adjudication, at = new Date()): ClaimDecision {
  const { outcome, approvedAmount, denialReason } = adjudication;
  if (outcome !== 'ACCEPTED' && approvedAmount != null) throw badInput('approvedAmount goes with an ACCEPTED outcome only', { field: 'approvedAmount' });
  if (outcome !== 'DENIED' && denialReason != null) throw badInput('denialReason goes with a DENIED outcome only', { field: 'denialReason' });
  requireTransition(claim, outcome);
  switch (outcome) {
    case 'ACCEPTED': {
      if (approvedAmount == null) throw badInput('approvedAmount is required to accept a claim', { field: 'approvedAmount' });
      const approvedCents = centsFrom(approvedAmount, 'approvedAmount');
      if (approvedCents > claim.totalCents) {
        throw badInput('approvedAmount is more than the claim total', { field: 'approvedAmount', reason: 'APPROVED_EXCEEDS_TOTAL' });
      }
      return { status: outcome, approvedCents, denialReason: null, adjudicatedAt: at };
    }
    case 'DENIED':
      return { status: outcome, approvedCents: null, denialReason: requiredText(denialReason ?? '', 'denialReason', 500), adjudicatedAt: at };
    case 'PAID':
      // Paying settles the accepted decision; the decision's time stays the adjudication time.
      return { status: outcome, approvedCents: claim.approvedCents, denialReason: null, adjudicatedAt: claim.adjudicatedAt };
  }
}
