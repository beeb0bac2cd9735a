import type { OdooClient } from '../../subgraphs/odoo-finance/odoo/client.ts';

/**
 * Taxes are cleared on every line (as the sync does): a real Odoo would otherwise add the company's
 * default sales tax, and the bundled one has none.
 */
const NO_TAXES = [[6, 0, []]];
export const INVOICE_LINES = [
  [0, 0, { name: 'Consultation', quantity: 1, price_unit: 100, tax_ids: NO_TAXES }],
  [0, 0, { name: 'Laboratory panel', quantity: 2, price_unit: 25, tax_ids: NO_TAXES }],
];
export const INVOICE_UNTAXED = 150;

export const createInvoice = (client: OdooClient, partnerId: number | false, lines: unknown[] = INVOICE_LINES) =>
  client.create('account.move', { move_type: 'out_invoice', partner_id: partnerId, invoice_line_ids: lines });

export const postInvoice = (client: OdooClient, invoiceId: number) => client.call('account.move', 'action_post', { ids: [invoiceId] });

/** Odoo's "Register Payment": the wizard opened on the invoice, then its button. */
export async function registerPayment(client: OdooClient, invoiceId: number, values: Record<string, unknown> = {}) {
  const wizard = await client.create('account.payment.register', values, { active_model: 'account.move', active_ids: [invoiceId] });
  return client.call('account.payment.register', 'action_create_payments', { ids: [wizard] });
}
