import type { DomainEvent } from '../../../platform/events/envelope.ts';
import { processedOnce } from '../../../platform/events/inbox.ts';
import { SyncStore } from '../sync-store.ts';
import { issuedInvoiceFrom } from './billing-announcements.ts';
import { pushInvoiceToOdoo } from './invoice-push.ts';
import type { SyncContext } from './sync-context.ts';

type InvoiceIssued = Extract<DomainEvent, { type: 'org.healthgraph.invoice.issued.v1' }>;

/**
 * invoice.issued: recorded first (then the catch-up knows of it, whatever becomes of the event),
 * then the patient's customer account, the posted customer invoice and any payment that waited.
 */
export async function syncIssuedInvoice(sync: SyncContext, event: InvoiceIssued): Promise<void> {
  const invoice = issuedInvoiceFrom(event.data);
  await sync.db.transaction((tx) => processedOnce(tx, sync.group, event.id, () => new SyncStore(tx).addIssuedInvoice(invoice)));
  await pushInvoiceToOdoo(sync, invoice.invoiceId, { waitForLease: true });
}
