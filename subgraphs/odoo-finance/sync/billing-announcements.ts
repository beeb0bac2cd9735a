import type { EventPayloads } from '../../../platform/events/catalog.ts';
import type { IssuedInvoice, PaymentLink } from '../sync-store.ts';

/** An event from billing without what the sync needs: trying again cannot help, so it is dead-lettered for a human. */
export class IncompleteEventError extends Error {
  override name = 'IncompleteEventError';
  readonly code = 'EVENT_INCOMPLETE';
}

/** The invoice as invoice.issued must announce it for Odoo (see the catalog's optional fields). */
export function issuedInvoiceFrom(data: EventPayloads['org.healthgraph.invoice.issued.v1']): IssuedInvoice {
  const { invoiceId, patientId, number, issuedOn, dueDate, totalCents, lines, appointmentIds = [] } = data;
  if (number === undefined || issuedOn === undefined || dueDate === undefined || totalCents === undefined || !lines?.length) {
    throw new IncompleteEventError(`invoice.issued for ${invoiceId} lacks the number, dates, total or lines`);
  }
  return { invoiceId, patientId, number, issuedOn, dueDate, totalCents, lines, appointmentIds };
}

/** Billing's payment as payment.posted must announce it for Odoo. */
export function postedPaymentFrom(data: EventPayloads['org.healthgraph.payment.posted.v1']): PaymentLink {
  const { paymentId, invoiceId, amountCents, receivedOn } = data;
  if (amountCents === undefined || receivedOn === undefined) throw new IncompleteEventError(`payment.posted for ${paymentId} lacks the amount or date`);
  return { paymentId, invoiceId, amountCents, receivedOn, origin: 'billing', odooPaymentId: null };
}
