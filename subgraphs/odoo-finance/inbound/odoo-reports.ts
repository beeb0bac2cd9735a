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
  invoiceChanged(odooInvoiceId: number): Promise<Reported<CustomerInvoice>>;
  paymentRegistered(odooPaymentId: number): Promise<Reported<CustomerPayment>>;
}

/** The record as re-read from Odoo, and the patient whose billing record it concerns (null when none does). */
export interface Reported<T> {
  record: T;
  patientId: string | null;
}

export function odooReports(db: Database, odoo: OdooClient): OdooReports {
  return {
    async invoiceChanged(odooInvoiceId) {
      const invoice = await readCustomerInvoice(odoo, odooInvoiceId);
      return { record: invoice, patientId: await db.transaction((tx) => recordInvoiceChange(tx, invoice)) };
    },
    async paymentRegistered(odooPaymentId) {
      const payment = await readCustomerPayment(odoo, odooPaymentId);
      return { record: payment, patientId: await db.transaction((tx) => recordOdooPayment(tx, payment)) };
    },
  };
}

const changesOf = (link: InvoiceLink, invoice: CustomerInvoice): OdooInvoiceChange[] => [
  ...(link.odooState !== invoice.state ? ['state' as const] : []),
  ...(link.odooPaymentState !== invoice.paymentState ? ['paymentState' as const] : []),
  ...(link.odooResidualCents !== invoice.residualCents ? ['residual' as const] : []),
];

/** Answers the patient whose billing invoice this is, or null when none is. */
async function recordInvoiceChange(tx: Queryable, invoice: CustomerInvoice): Promise<string | null> {
  const store = new SyncStore(tx);
  const link = await store.lockInvoiceLink(invoice);
  // An invoice billing never issued (or a second one naming the same billing invoice) has nothing
  // in the graph to update: reconciliation reports it.
  if (!link || (link.odooMoveId !== null && link.odooMoveId !== invoice.id)) return null;
  const changed = changesOf(link, invoice);
  await store.recordOdooInvoice(link.invoiceId, invoice);
  if (changed.length === 0) return link.patientId;
  await emit(tx, 'org.healthgraph.invoice.updated.v1', {
    invoiceId: link.invoiceId,
    patientId: link.patientId,
    odooInvoiceId: invoice.id,
    changed,
    state: invoice.state,
    paymentState: invoice.paymentState,
  });
  return link.patientId;
}

/** Answers the patient whose billing invoice the payment settles, or null when it concerns none (or several). */
async function recordOdooPayment(tx: Queryable, payment: CustomerPayment): Promise<string | null> {
  const store = new SyncStore(tx);
  const invoices = await store.invoiceLinksOfMoves(payment.invoiceIds);
  const patientIds = new Set(invoices.map((invoice) => invoice.patientId));
  const patientId = patientIds.size === 1 ? [...patientIds][0]! : null;
  // One the sync registered carries billing's payment id as its label: an echo, not news.
  const known = await store.paymentLink({ paymentId: payment.memo, odooPaymentId: payment.id });
  if (known) {
    if (known.odooPaymentId === null) await store.recordOdooPayment(known.paymentId, payment.id);
    return patientId;
  }
  // A draft or cancelled payment moved no money.
  if (!isRecorded(payment.state)) return patientId;
  // Billing takes a payment against one invoice; one Odoo spread over several is left to reconciliation.
  const [invoice] = invoices;
  if (!invoice || invoices.length > 1) return patientId;
  const registered = {
    paymentId: `odoo-payment-${payment.id}`,
    odooPaymentId: payment.id,
    invoiceId: invoice.invoiceId,
    patientId: invoice.patientId,
    amountCents: payment.amountCents,
    receivedOn: payment.date,
  };
  if (!(await store.addPayment({ ...registered, origin: 'odoo' }))) return patientId;
  // Billing posts it and announces payment.posted once it is on billing's books, so a subscriber
  // told of the payment finds it in the graph.
  await emit(tx, 'org.healthgraph.odoo.payment_registered.v1', registered);
  return patientId;
}
