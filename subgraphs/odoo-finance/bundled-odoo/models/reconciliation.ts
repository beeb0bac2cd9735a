import type { Env } from '../env.ts';

/**
 * Which payment settles how much of which invoice. Odoo keeps this in account.partial.reconcile
 * between journal items; here it links the invoice and the payment directly.
 */
const PARTIALS = 'account.partial.reconcile';

export const reconcile = (env: Env, invoiceId: number, paymentId: number, amount: number) =>
  env.insert(PARTIALS, { invoice_id: invoiceId, payment_id: paymentId, amount });

export const paidAmount = (env: Env, invoiceId: number) =>
  env.rows(PARTIALS).filter((p) => p.invoice_id === invoiceId).reduce((sum, p) => sum + Number(p.amount), 0);

export const reconciledInvoiceIds = (env: Env, paymentId: number) =>
  env.rows(PARTIALS).filter((p) => p.payment_id === paymentId).map((p) => Number(p.invoice_id));

/** What resetting an invoice to draft does to its payments: they stay, no longer reconciled. */
export const unreconcile = (env: Env, invoiceId: number) =>
  env.remove(PARTIALS, env.rows(PARTIALS).filter((p) => p.invoice_id === invoiceId).map((p) => p.id));
