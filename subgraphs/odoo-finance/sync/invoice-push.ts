import { pause } from '../../../platform/events/backoff.ts';
import { describeFailure } from '../../../platform/events/failure.ts';
import { createCustomerInvoice, findCustomerInvoices, postCustomerInvoice, readCustomerInvoice } from '../accounting/customer-invoice.ts';
import { paymentsLabelled, registerPayment } from '../accounting/customer-payment.ts';
import { openPartnerAccount } from '../partner-accounts.ts';
import { SyncStore, type InvoiceLink } from '../sync-store.ts';
import type { SyncContext } from './sync-context.ts';

/** Longer than a push takes with the client's timeouts and retries; a replica that died mid-push holds it no longer. */
const PUSH_LEASE_MS = 5 * 60_000;

/** How long an event's push waits for another push of the same invoice (the catch-up's) to end. */
const LEASE_WAIT_MS = 10_000;
const LEASE_POLL_MS = 50;

/** Another push held the invoice all along: the event is tried again later, like any failure. */
export class InvoiceBusyError extends Error {
  override name = 'InvoiceBusyError';
  readonly code = 'INVOICE_PUSH_BUSY';
}

/**
 * Brings Odoo up to what the records say of one invoice: the posted invoice, then its billing
 * payments; with `paymentsOnly` (a payment's event), only the payments, and only once the invoice
 * is in Odoo. Under the invoice's lease, so two pushes (an event's and the catch-up's, or two
 * replicas') never create anything twice. With `waitForLease`, an event's push waits for one under
 * way; otherwise (the catch-up) it leaves the invoice to it. No record of the invoice: nothing to do.
 */
export async function pushInvoiceToOdoo(sync: SyncContext, invoiceId: string, { waitForLease = false, paymentsOnly = false } = {}): Promise<void> {
  const store = new SyncStore(sync.db);
  const deadline = Date.now() + LEASE_WAIT_MS;
  while (!(await store.leaseInvoice(invoiceId, PUSH_LEASE_MS))) {
    if (!waitForLease || (await store.invoiceLinks([invoiceId])).length === 0) return;
    if (Date.now() > deadline) throw new InvoiceBusyError(`invoice ${invoiceId} is being pushed by another sync`);
    await pause(LEASE_POLL_MS);
  }
  let failure: string | null = null;
  try {
    if (!paymentsOnly) await pushInvoice(sync, invoiceId);
    await pushPayments(sync, invoiceId);
  } catch (error) {
    failure = describeFailure(error).code;
    throw error;
  } finally {
    await store.releaseInvoice(invoiceId, failure);
  }
}

async function pushInvoice(sync: SyncContext, invoiceId: string): Promise<void> {
  const store = new SyncStore(sync.db);
  const [link] = await store.invoiceLinks([invoiceId]);
  if (!link || link.synced) return;
  const partnerId = await openPartnerAccount(sync.db, sync.odoo, link.patientId);
  // Looked up first: an attempt that failed after Odoo acted (a lost answer) already created it.
  const [existing] = await findCustomerInvoices(sync.odoo, [['ref', '=', invoiceId]]);
  const id = existing?.id ?? (await createCustomerInvoice(sync.odoo, invoiceDraft(link, partnerId)));
  if ((existing?.state ?? 'draft') === 'draft') await postCustomerInvoice(sync.odoo, id);
  await store.recordOdooInvoice(invoiceId, await readCustomerInvoice(sync.odoo, id), true);
}

const invoiceDraft = (link: InvoiceLink, partnerId: number) => ({
  ref: link.invoiceId,
  paymentReference: link.number,
  partnerId,
  invoiceDate: link.issuedOn,
  dueDate: link.dueDate,
  lines: link.lines,
});

/** Registers in Odoo the invoice's payments it does not have yet, each once, labelled with billing's payment id. */
async function pushPayments({ db, odoo }: SyncContext, invoiceId: string): Promise<void> {
  const store = new SyncStore(db);
  const [invoice] = await store.invoiceLinks([invoiceId]);
  // Until its invoice is in Odoo a payment waits; the invoice's sync registers it.
  if (!invoice?.synced || invoice.odooMoveId === null) return;
  const waiting = await store.unregisteredPayments(invoiceId);
  if (waiting.length === 0) return;
  // Looked up first: an attempt that failed after Odoo acted already registered some.
  const registered = new Map((await paymentsLabelled(odoo, waiting.map((payment) => payment.paymentId))).map((found) => [found.memo, found.id]));
  for (const payment of waiting) {
    const registration = { amountCents: payment.amountCents, date: payment.receivedOn, memo: payment.paymentId };
    const odooPaymentId = registered.get(payment.paymentId) ?? (await registerPayment(odoo, invoice.odooMoveId, registration));
    await store.recordOdooPayment(payment.paymentId, odooPaymentId);
  }
  // Odoo's side as it now is, so a report of this change from Odoo finds nothing new.
  await store.recordOdooInvoice(invoiceId, await readCustomerInvoice(odoo, invoice.odooMoveId), true);
}
