import type { InvoicedLine } from '../../../platform/events/catalog.ts';
import type { OdooClient } from '../odoo/client.ts';
import type { OdooDomain, OdooRecord } from '../odoo/types.ts';
import { amountOf, centsOf, idsOf, many2oneId, many2oneName, textOrNull } from './odoo-values.ts';

export const MOVE = 'account.move';

/** What the graph reads of a customer invoice (account.move, move_type out_invoice). */
export const INVOICE_FIELDS = [
  'name', 'ref', 'partner_id', 'state', 'payment_state', 'amount_total', 'amount_residual', 'currency_id',
  'invoice_date', 'invoice_date_due', 'invoice_line_ids',
];

export type InvoiceState = 'draft' | 'posted' | 'cancel';

/** A customer invoice in Odoo's words, amounts in cents. */
export interface CustomerInvoice {
  id: number;
  /** Null while a draft: Odoo numbers an invoice when it is posted. */
  number: string | null;
  /** Billing's invoice id, for an invoice the sync created. */
  ref: string | null;
  partnerId: number | null;
  state: InvoiceState;
  paymentState: string;
  totalCents: number;
  residualCents: number;
  currency: string;
  invoiceDate: string | null;
  dueDate: string | null;
  lineIds: number[];
}

export function customerInvoiceFrom(record: OdooRecord): CustomerInvoice {
  return {
    id: record.id,
    number: record.name === '/' ? null : textOrNull(record.name),
    ref: textOrNull(record.ref),
    partnerId: many2oneId(record.partner_id),
    state: record.state as InvoiceState,
    paymentState: String(record.payment_state),
    totalCents: centsOf(record.amount_total),
    residualCents: centsOf(record.amount_residual),
    currency: many2oneName(record.currency_id) ?? '',
    invoiceDate: textOrNull(record.invoice_date),
    dueDate: textOrNull(record.invoice_date_due),
    lineIds: idsOf(record.invoice_line_ids),
  };
}

/**
 * Nothing left to pay. Odoo 17 Community says 'paid'; from 18 (and with Enterprise accounting on
 * 17) an invoice is 'in_payment' until its payments are matched with the bank.
 */
export const isSettled = (paymentState: string) => paymentState === 'paid' || paymentState === 'in_payment';

export const LINE = 'account.move.line';
export const LINE_FIELDS = ['name', 'quantity', 'price_unit', 'price_subtotal'];

export interface CustomerInvoiceLine {
  label: string;
  quantity: number;
  unitPriceCents: number;
  subtotalCents: number;
  currency: string;
}

export const customerInvoiceLineFrom = (record: OdooRecord, currency: string): CustomerInvoiceLine => ({
  label: textOrNull(record.name) ?? '',
  quantity: Number(record.quantity),
  unitPriceCents: centsOf(record.price_unit),
  subtotalCents: centsOf(record.price_subtotal),
  currency,
});

export const customerInvoices = (...domain: OdooDomain): OdooDomain => [['move_type', '=', 'out_invoice'], ...domain];

export async function findCustomerInvoices(odoo: OdooClient, domain: OdooDomain): Promise<CustomerInvoice[]> {
  const records = await odoo.searchRead(MOVE, customerInvoices(...domain), { fields: INVOICE_FIELDS, order: 'id' });
  return records.map(customerInvoiceFrom);
}

export async function readCustomerInvoice(odoo: OdooClient, id: number): Promise<CustomerInvoice> {
  const [record] = await odoo.read(MOVE, [id], INVOICE_FIELDS);
  return customerInvoiceFrom(record!);
}

export interface InvoiceDraft {
  /** Billing's invoice id: how a retry finds the invoice instead of creating a second one. */
  ref: string;
  /** Billing's number, which the patient quotes when paying. */
  paymentReference: string;
  partnerId: number;
  invoiceDate: string;
  dueDate: string;
  lines: InvoicedLine[];
}

/**
 * A draft customer invoice. Taxes are cleared on every line: billing's totals carry none, and a
 * real Odoo would otherwise add the company's default sales tax to lines without a product.
 */
export function createCustomerInvoice(odoo: OdooClient, draft: InvoiceDraft): Promise<number> {
  return odoo.create(MOVE, {
    move_type: 'out_invoice',
    partner_id: draft.partnerId,
    ref: draft.ref,
    payment_reference: draft.paymentReference,
    invoice_date: draft.invoiceDate,
    invoice_date_due: draft.dueDate,
    invoice_line_ids: draft.lines.map((line) => [
      0,
      0,
      { name: `${line.code} ${line.description}`, quantity: 1, price_unit: amountOf(line.amountCents), tax_ids: [[6, 0, []]] },
    ]),
  });
}

export const postCustomerInvoice = (odoo: OdooClient, id: number) => odoo.call(MOVE, 'action_post', { ids: [id] });
