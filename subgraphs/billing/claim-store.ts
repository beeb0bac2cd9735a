import type { Claim } from './model.ts';
import { insertRecords, TableStore } from './records.ts';

export type ClaimDecision = Pick<Claim, 'status' | 'approvedCents' | 'denialReason' | 'adjudicatedAt'>;

/** SQL for claims (FHIR Claim and its ClaimResponse outcome) and the charges each one claims. A payer's claims are those addressed to it. */
export class ClaimStore extends TableStore<Claim> {
  protected readonly table = 'claim';
  protected readonly rows = {
    patient: (id: string) => `claim.patient_id = ${id}`,
    payer: (id: string) => `claim.payer_id = ${id}`,
    owner: 'claim.patient_id',
  };

  claimsOfPatients(patientIds: readonly string[]): Promise<Claim[]> {
    return this.ofParents('patient_id', patientIds, 'claim.created_at DESC, claim.id');
  }

  /** Which of these charges are already on a claim still in play (a denied claim lets them go). */
  async chargesOnOpenClaims(chargeIds: readonly string[]): Promise<string[]> {
    const params: unknown[] = [chargeIds];
    const rows = await this.db.query(
      `SELECT DISTINCT claim_charge.charge_id FROM claim_charge JOIN claim ON claim.id = claim_charge.claim_id
       WHERE claim_charge.charge_id = ANY($1) AND claim.status <> 'DENIED' AND ${this.visible(params)}`,
      params,
    );
    return rows.map((row) => row.charge_id as string);
  }

  async addWithCharges(claims: readonly Claim[], links: readonly { claimId: string; chargeId: string }[]): Promise<void> {
    await this.add(claims);
    await insertRecords(this.db, 'claim_charge', links);
  }

  /** Only a DRAFT becomes SUBMITTED: null when a concurrent submission got there first. */
  async markSubmitted(id: string, payerReference: string, submittedAt: Date): Promise<Claim | null> {
    const [claim] = await this.update(`status = 'SUBMITTED', payer_reference = $2, submitted_at = $3`, `claim.id = $1 AND claim.status = 'DRAFT'`, [
      id,
      payerReference,
      submittedAt,
    ]);
    return claim ?? null;
  }

  /** Null when the claim is not within the scope (the caller locked it first, so it is). */
  async recordDecision(id: string, decision: ClaimDecision): Promise<Claim | null> {
    const [claim] = await this.update('status = $2, approved_cents = $3, denial_reason = $4, adjudicated_at = $5', 'claim.id = $1', [
      id,
      decision.status,
      decision.approvedCents,
      decision.denialReason,
      decision.adjudicatedAt,
    ]);
    return claim ?? null;
  }
}
