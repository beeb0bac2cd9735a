import type { Database, Queryable } from '../../../platform/database/database.ts';
import type { OdooInvoiceChange } from '../../../platform/events/catalog.ts';
import { emit } from '../../../platform/events/outbox.ts';
import { readCustomerInvoice, type CustomerInvoice } from '../accounting/customer-invoice.ts';
import { isRecorded, readCustomerPayment, type CustomerPayment } from '../accounting/customer-payment.ts';
import type { OdooClient } from '../odoo/client.ts';
import { SyncStore, type InvoiceLink } from '../sync-store.ts';

/**
 * What Odoo tells the graph, through the report mutations or the webhook. Nothing in a report is
 * trusted but the record's id: the record is read again from Odoo, and what changed is recorded
 * and announced in one transaction.
 */
export interface OdooReports {
  invoiceChanged(odooInvoiceId: number): Promise<CustomerInvoice>;
  paymentRegistered(odooPaymentId: number): Promise<CustomerPayment>;
}

export function odooReports(db: Database, odoo: OdooClient): OdooReports {
  return {
    async invoiceChanged(odooInvoiceId) {
      const invoice = await readCustomerInvoice(odoo, odooInvoiceId);
      await db.transaction((tx) => recordInvoiceChange(tx, invoice));
      return invoice;
    },
    async paymentRegistered(odooPaymentId) {
      const payment = await readCustomerPayment(odoo, odooPaymentId);
      await db.transaction((tx) => recordOdooPayment(tx, payment));
      return payment;
    },
  };
}

const changesOf = (link: InvoiceLink, invoice: CustomerInvoice): OdooInvoiceChange[] => [
  ...(link.odooState !== invoice.state ? ['state' as const] : []),
  ...(link.odooPaymentState !== invoice.paymentState ? ['paymentState' as const] : []),
  ...(link.odooResidualCents !== invoice.residualCents ? ['residual' as const] : []),
];

async function recordInvoiceChange(tx: Queryable, invoice: CustomerInvoice): Promise<void> {
  const store = new SyncStore(tx);
  const link = await store.lockInvoiceLink(invoice);
  // An invoice billing never issued (or a second one naming the same billing invoice) has nothing
  // in the graph to update: reconciliation reports it.
  if (!link || (link.odooMoveId !== null && link.odooMoveId !== invoice.id)) return;
  const changed = changesOf(link, invoice);
  await store.recordOdooInvoice(link.invoiceId, invoice);
  if (changed.length === 0) return;
  await emit(tx, 'org.healthgraph.invoice.updated.v1', {
    invoiceId: link.invoiceId,
    patientId: link.patientId,
    odooInvoiceId: invoice.id,
    changed,
    state: invoice.state,
    paymentState: invoice.paymentState,
  });
}

async function recordOdooPayment(tx: Queryable, payment: CustomerPayment): Promise<void> {
  const store = new SyncStore(tx);
  // One the sync registered carries billing's payment id as its label: an echo, not news.
  const known = await store.paymentLink({ paymentId: payment.memo, odooPaymentId: payment.id });
  if (known) {
    if (known.odooPaymentId === null) await store.recordOdooPayment(known.paymentId, payment.id);
    return;
  }
  // A draft or cancelled payment moved no money.
  if (!isRecorded(payment.state)) return;
  const invoices = await store.invoiceLinksOfMoves(payment.invoiceIds);
  // Billing takes a payment against one invoice; one Odoo spread over several is left to reconciliation.
  const [invoice] = invoices;
  if (!invoice || invoices.length > 1) return;
  const registered = {
    paymentId: `odoo-payment-${payment.id}`,
    odooPaymentId: payment.id,
    invoiceId: invoice.invoiceId,
    patientId: invoice.patientId,
    amountCents: payment.amountCents,
    receivedOn: payment.date,
  };
  if (!(await store.addPayment({ ...registered, origin: 'odoo' }))) return;
  // Billing posts it and announces payment.posted once it is on billing's books, so a subscriber
  // told of the payment finds it in the graph.
  await emit(tx, 'org.healthgraph.odoo.payment_registered.v1', registered);
}
