import type { Payment } from './model.ts';
import { TableStore } from './records.ts';

/** SQL for payments received against invoices (FHIR PaymentReconciliation details). */
export class PaymentStore extends TableStore<Payment> {
  protected readonly table = 'payment';

  paymentsOfInvoices(invoiceIds: readonly string[]): Promise<Payment[]> {
    return this.ofParents('invoice_id', invoiceIds, 'received_at, id');
  }
}
