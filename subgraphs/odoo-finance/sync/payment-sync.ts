import type { DomainEvent } from '../../../platform/events/envelope.ts';
import { processedOnce } from '../../../platform/events/inbox.ts';
import { readCustomerInvoice } from '../accounting/customer-invoice.ts';
import { paymentsLabelled, registerPayment } from '../accounting/customer-payment.ts';
import { SyncStore } from '../sync-store.ts';
import { postedPaymentFrom } from './billing-announcements.ts';
import type { SyncContext } from './sync-context.ts';

type PaymentPosted = Extract<DomainEvent, { type: 'org.healthgraph.payment.posted.v1' }>;

/** payment.posted: registers billing's payment on the Odoo invoice, or keeps it until the invoice is there. */
export async function syncPostedPayment(sync: SyncContext, event: PaymentPosted): Promise<void> {
  // Registered in Odoo first and announced from there: sending it back would pay the invoice twice.
  if (event.data.origin === 'odoo') return;
  const payment = postedPaymentFrom(event.data);
  await sync.db.transaction((tx) =>
    processedOnce(tx, sync.group, event.id, async () => {
      await new SyncStore(tx).addPayment(payment);
    }),
  );
  await pushPayments(sync, payment.invoiceId);
}

/** Registers in Odoo the invoice's payments it does not have yet, each once, labelled with billing's payment id. */
export async function pushPayments({ db, odoo }: SyncContext, invoiceId: string): Promise<void> {
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
