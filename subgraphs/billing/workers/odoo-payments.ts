import { DomainError, ErrorCode } from '../../../platform/errors.ts';
import { reaction } from '../../../platform/events/reaction.ts';
import { RowScope } from '../../../platform/subgraph/row-scope.ts';
import { postPayment } from '../payment-posting.ts';

/**
 * A payment finance registered in Odoo is posted on billing's books, under odoo-finance's id, and
 * announced as payment.posted from Odoo. The amount is the one odoo-finance re-read from Odoo.
 */
export const odooPayments = reaction('billing-odoo-payments', 'org.healthgraph.odoo.payment_registered.v1', async (tx, payment) => {
  const { paymentId, odooPaymentId, invoiceId, amountCents, receivedOn } = payment;
  const posting = { invoiceId, amountCents, method: 'BANK_TRANSFER' as const, reference: `odoo:account.payment/${odooPaymentId}` };
  try {
    await postPayment(tx, posting, RowScope.background('billing-odoo-payments'), { origin: 'odoo', paymentId, odooPaymentId, receivedOn });
  } catch (error) {
    // A balanced or cancelled invoice, or more than its balance: retrying changes nothing, and the
    // next reconciliation reports the difference between billing and Odoo.
    if (error instanceof DomainError && error.extensions.code === ErrorCode.CONFLICT) return { skipped: String(error.extensions.reason) };
    throw error;
  }
});
