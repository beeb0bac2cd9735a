import type { Charge } from './model.ts';
import { selectRecords, TableStore } from './records.ts';

export type ClaimedCharge = Charge & { claimId: string };

/** SQL for charges (FHIR ChargeItem). */
export class ChargeStore extends TableStore<Charge> {
  protected readonly table = 'charge';
  /** A payer sees the charges on its claims. */
  protected readonly rows = {
    patient: (id: string) => `charge.patient_id = ${id}`,
    payer: (id: string) =>
      `EXISTS (SELECT 1 FROM claim_charge cc JOIN claim c ON c.id = cc.claim_id WHERE cc.charge_id = charge.id AND c.payer_id = ${id})`,
  };

  chargesOfAppointments(appointmentIds: readonly string[]): Promise<Charge[]> {
    return this.ofParents('appointment_id', appointmentIds, 'captured_at, code');
  }

  /** An invoice's lines. */
  chargesOfInvoices(invoiceIds: readonly string[]): Promise<Charge[]> {
    return this.ofParents('invoice_id', invoiceIds, 'captured_at, code');
  }

  chargesOfClaims(claimIds: readonly string[]): Promise<ClaimedCharge[]> {
    const params: unknown[] = [claimIds];
    return selectRecords(
      this.db,
      `SELECT charge.*, claim_charge.claim_id FROM claim_charge JOIN charge ON charge.id = claim_charge.charge_id
       WHERE claim_charge.claim_id = ANY($1) AND ${this.visible(params)} ORDER BY charge.captured_at, charge.code`,
      params,
    );
  }

  /** Locks the rows until the transaction ends, in id order so two lockers cannot deadlock. */
  lockCharges(ids: readonly string[]): Promise<Charge[]> {
    return selectRecords(this.db, 'SELECT * FROM charge WHERE id = ANY($1) ORDER BY id FOR UPDATE', [ids]);
  }

  /**
   * Locks the patient's pending charges. A concurrent locker waits, then re-reads the rows: those
   * the first one invoiced no longer match, so no charge lands on two invoices.
   */
  lockPendingOfPatient(patientId: string): Promise<Charge[]> {
    return selectRecords(this.db, `SELECT * FROM charge WHERE patient_id = $1 AND status = 'PENDING' ORDER BY id FOR UPDATE`, [patientId]);
  }

  /** Captures for one appointment run one at a time until the transaction ends. */
  async serializeCaptures(appointmentId: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`charge-capture:${appointmentId}`]);
  }

  /** Voids the appointment's charges not yet invoiced; answers them. */
  voidPendingOfAppointment(appointmentId: string): Promise<Charge[]> {
    return selectRecords(this.db, `UPDATE charge SET status = 'VOID' WHERE appointment_id = $1 AND status = 'PENDING' RETURNING *`, [appointmentId]);
  }

  async markInvoiced(ids: readonly string[], invoiceId: string): Promise<void> {
    await this.db.query(`UPDATE charge SET status = 'INVOICED', invoice_id = $2 WHERE id = ANY($1)`, [ids, invoiceId]);
  }
}
