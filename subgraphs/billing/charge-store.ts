import type { Charge } from './model.ts';
import { TableStore } from './records.ts';

export type ClaimedCharge = Charge & { claimId: string };

/** SQL for charges (FHIR ChargeItem). */
export class ChargeStore extends TableStore<Charge> {
  protected readonly table = 'charge';
  /** A payer sees the charges on its claims. */
  protected readonly rows = {
    patient: (id: string) => `charge.patient_id = ${id}`,
    payer: (id: string) =>
      `EXISTS (SELECT 1 FROM claim_charge cc JOIN claim c ON c.id = cc.claim_id WHERE cc.charge_id = charge.id AND c.payer_id = ${id})`,
    owner: 'charge.patient_id',
  };

  chargesOfAppointments(appointmentIds: readonly string[]): Promise<Charge[]> {
    return this.ofParents('appointment_id', appointmentIds, 'charge.captured_at, charge.code');
  }

  /** An invoice's lines. */
  chargesOfInvoices(invoiceIds: readonly string[]): Promise<Charge[]> {
    return this.ofParents('invoice_id', invoiceIds, 'charge.captured_at, charge.code');
  }

  chargesOfClaims(claimIds: readonly string[]): Promise<ClaimedCharge[]> {
    return this.select('claim_charge.claim_id = ANY($1)', [claimIds], {
      join: 'JOIN claim_charge ON claim_charge.charge_id = charge.id',
      columns: 'claim_charge.claim_id',
      orderBy: 'charge.captured_at, charge.code',
    }) as Promise<ClaimedCharge[]>;
  }

  /** Locks the named charges until the transaction ends, in id order so two lockers cannot deadlock. */
  lockCharges(ids: readonly string[]): Promise<Charge[]> {
    return this.lockByIds(ids);
  }

  /**
   * Locks the patient's pending charges. A concurrent locker waits, then re-reads the rows: those
   * the first one invoiced no longer match, so no charge lands on two invoices.
   */
  lockPendingOfPatient(patientId: string): Promise<Charge[]> {
    return this.select(`charge.patient_id = $1 AND charge.status = 'PENDING'`, [patientId], { lock: true });
  }

  /** Captures for one appointment run one at a time until the transaction ends. */
  async serializeCaptures(appointmentId: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`charge-capture:${appointmentId}`]);
  }

  /** Voids the appointment's charges not yet invoiced; answers them. */
  voidPendingOfAppointment(appointmentId: string): Promise<Charge[]> {
    return this.update(`status = 'VOID'`, `charge.appointment_id = $1 AND charge.status = 'PENDING'`, [appointmentId]);
  }

  async markInvoiced(ids: readonly string[], invoiceId: string): Promise<void> {
    await this.update(`status = 'INVOICED', invoice_id = $2`, 'charge.id = ANY($1)', [ids, invoiceId]);
  }
}
