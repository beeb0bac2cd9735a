import { notFound } from '../../../platform/errors.ts';
import { describeFailure } from '../../../platform/events/failure.ts';
import type { RequestScope } from '../../../platform/subgraph/service.ts';
import type { OdooFinanceContext } from '../context.ts';
import { pushInvoiceToOdoo } from '../sync/invoice-push.ts';
import { ODOO_SYNC_GROUP } from '../sync/odoo-sync.ts';
import { SyncBacklog, type OdooInvoiceSync } from './sync-backlog.ts';

/**
 * `retryOdooSync`: pushes the invoice and its billing payments to Odoo now, as the sync would (an
 * open circuit breaker lets it through as its probe), and answers where it stands. A failure is not an error of the call: the push records it on the invoice
 * (FAILING, with its code), and that is the answer.
 */
export async function retryOdooSync({ db, odoo, scope, logger }: OdooFinanceContext & RequestScope, invoiceId: string): Promise<OdooInvoiceSync> {
  const backlog = new SyncBacklog(db);
  if (!(await backlog.invoice(scope, invoiceId))) throw notFound('Invoice', invoiceId);
  scope.acted('retryOdooSync', invoiceId);
  odoo.probeNow();
  try {
    await pushInvoiceToOdoo({ db, odoo, group: ODOO_SYNC_GROUP }, invoiceId, { waitForLease: true });
  } catch (error) {
    logger.warn({ invoiceId, code: describeFailure(error).code }, 'retried Odoo sync failed');
  }
  return (await backlog.invoice(scope, invoiceId))!;
}
