import type { DomainEvent } from '../../../platform/events/envelope.ts';
import { processedOnce } from '../../../platform/events/inbox.ts';
import { SyncStore } from '../sync-store.ts';
import { postedPaymentFrom } from './billing-announcements.ts';
import { pushInvoiceToOdoo } from './invoice-push.ts';
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
  await pushInvoiceToOdoo(sync, payment.invoiceId, { waitForLease: true, paymentsOnly: true });
}
