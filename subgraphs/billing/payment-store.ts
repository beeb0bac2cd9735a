import type { Payment } from './model.ts';
import { TableStore } from './records.ts';

/** SQL for payments received against invoices (FHIR PaymentReconciliation details). */
export class PaymentStore extends TableStore<Payment> {
  protected readonly table = 'payment';
  /** A payment follows its invoice: the patient's, never a payer's. */
  protected readonly rows = {
    patient: (id: string) => `EXISTS (SELECT 1 FROM invoice i WHERE i.id = payment.invoice_id AND i.patient_id = ${id})`,
    owner: '(SELECT i.patient_id FROM invoice i WHERE i.id = payment.invoice_id)',
  };

  paymentsOfInvoices(invoiceIds: readonly string[]): Promise<Payment[]> {
    return this.ofParents('invoice_id', invoiceIds, 'payment.received_at, payment.id');
  }
}
