import type { Invoice } from './model.ts';
import { TableStore } from './records.ts';

/** SQL for invoices (FHIR Invoice), the patient's statements. */
export class InvoiceStore extends TableStore<Invoice> {
  protected readonly table = 'invoice';
  /** A patient's statement: payers never see it. */
  protected readonly rows = { patient: (id: string) => `invoice.patient_id = ${id}`, owner: 'invoice.patient_id' };

  invoicesOfPatients(patientIds: readonly string[]): Promise<Invoice[]> {
    return this.ofParents('patient_id', patientIds, 'invoice.issued_at DESC, invoice.id');
  }

  /** Human-readable numbers such as INV-2026-000123, one per issue date, from the invoice number sequence. */
  async numbersFor(issuedAt: readonly Date[]): Promise<string[]> {
    const rows = await this.db.query(`SELECT nextval('invoice_number_sequence') AS n FROM generate_series(1, $1::int)`, [issuedAt.length]);
    return issuedAt.map((date, i) => `INV-${date.getUTCFullYear()}-${String(rows[i]!.n).padStart(6, '0')}`);
  }

  async recordPaid(id: string, paidCents: number): Promise<void> {
    await this.update(`paid_cents = $2, status = CASE WHEN $2 = total_cents THEN 'BALANCED' ELSE status END`, 'invoice.id = $1', [id, paidCents]);
  }
}
