import type { DomainEvent } from '../../../platform/events/envelope.ts';
import { processedOnce } from '../../../platform/events/inbox.ts';
import { createCustomerInvoice, findCustomerInvoices, postCustomerInvoice, readCustomerInvoice } from '../accounting/customer-invoice.ts';
import { openPartnerAccount } from '../partner-accounts.ts';
import { SyncStore, type InvoiceLink } from '../sync-store.ts';
import { issuedInvoiceFrom } from './billing-announcements.ts';
import { pushPayments } from './payment-sync.ts';
import type { SyncContext } from './sync-context.ts';

type InvoiceIssued = Extract<DomainEvent, { type: 'org.healthgraph.invoice.issued.v1' }>;

/** invoice.issued: the patient's customer account, then the posted customer invoice, then any payment that waited for it. */
export async function syncIssuedInvoice(sync: SyncContext, event: InvoiceIssued): Promise<void> {
  const invoice = issuedInvoiceFrom(event.data);
  await sync.db.transaction((tx) => processedOnce(tx, sync.group, event.id, () => new SyncStore(tx).addIssuedInvoice(invoice)));
  await pushInvoice(sync, invoice.invoiceId);
  await pushPayments(sync, invoice.invoiceId);
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
