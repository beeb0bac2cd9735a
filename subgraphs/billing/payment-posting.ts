import type { Queryable } from '../../platform/database/database.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { emit } from '../../platform/events/outbox.ts';
import { newId } from '../../platform/ids.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { PaymentPosting } from './model.ts';
import { CURRENCY, money } from './money.ts';
import { billingStores } from './stores.ts';

/**
 * Where a payment was first recorded. Billing's own get a new id now; one finance registered in
 * Odoo keeps the id odoo-finance gave it and Odoo's date, and is announced as Odoo's so the Odoo
 * sync does not register it a second time.
 */
export type PaymentSource = { origin: 'billing' } | { origin: 'odoo'; paymentId: string; odooPaymentId: number; receivedOn: string };

const BILLING: PaymentSource = { origin: 'billing' };

/**
 * Records money received against an ISSUED invoice, never more than its balance. The invoice row
 * stays locked until the transaction ends, so concurrent payments are checked one after the other.
 * An invoice outside the payer's `scope` (a patient paying another's) is not found.
 */
export async function postPayment(tx: Queryable, posting: PaymentPosting, scope: RowScope, source = BILLING): Promise<string> {
  const stores = billingStores(tx, scope);
  const invoice = await stores.invoices.lock(posting.invoiceId);
  if (!invoice) throw notFound('Invoice', posting.invoiceId);
  if (invoice.status !== 'ISSUED') {
    throw conflict('INVOICE_NOT_ISSUED', `Invoice ${invoice.id} is ${invoice.status}; only ISSUED invoices take payments`, { status: invoice.status });
  }
  const balance = money(invoice.totalCents - invoice.paidCents);
  if (posting.amountCents > invoice.totalCents - invoice.paidCents) {
    throw conflict('OVERPAYMENT', `The payment is more than the ${balance.value} ${CURRENCY} left on invoice ${invoice.id}`, { balance });
  }
  const [id, receivedAt] = source.origin === 'odoo' ? [source.paymentId, new Date(`${source.receivedOn}T00:00:00Z`)] : [newId('pmt'), new Date()];
  await stores.payments.add([{ id, ...posting, receivedAt }]);
  await stores.invoices.recordPaid(invoice.id, invoice.paidCents + posting.amountCents);
  // The amount and day are what the Odoo sync needs to register the payment in Odoo (see the catalog).
  await emit(tx, 'org.healthgraph.payment.posted.v1', {
    paymentId: id,
    invoiceId: invoice.id,
    patientId: invoice.patientId,
    amountCents: posting.amountCents,
    receivedOn: receivedAt.toISOString().slice(0, 10),
    ...(source.origin === 'odoo' ? { origin: 'odoo', odooPaymentId: source.odooPaymentId } : { origin: 'billing' }),
  });
  return id;
}
