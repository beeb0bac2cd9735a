import type { OdooClient } from '../odoo/client.ts';
import { OdooError } from '../odoo/errors.ts';
import type { OdooDomain, OdooRecord } from '../odoo/types.ts';
import { MOVE } from './customer-invoice.ts';
import { amountOf, centsOf, idsOf, many2oneId, many2oneName, textOrNull } from './odoo-values.ts';

const PAYMENT = 'account.payment';
const REGISTER = 'account.payment.register';

/**
 * Up to 17 account.payment inherits its journal entry, whose `ref` is the payment's label; from 18
 * it is a model of its own and the label is `memo`.
 */
const memoField = async (odoo: OdooClient) => ((await odoo.version()).major >= 18 ? 'memo' : 'ref');

export type PaymentState = 'DRAFT' | 'POSTED' | 'MATCHED' | 'CANCELLED' | 'REJECTED';

/** Odoo 17's entry states and 18's payment states, in one vocabulary. */
const STATES: Record<string, PaymentState> = {
  draft: 'DRAFT',
  posted: 'POSTED',
  in_process: 'POSTED',
  paid: 'MATCHED',
  cancel: 'CANCELLED',
  canceled: 'CANCELLED',
  rejected: 'REJECTED',
};

/** The money is recorded against the invoice. */
export const isRecorded = (state: PaymentState) => state === 'POSTED' || state === 'MATCHED';

export interface CustomerPayment {
  id: number;
  number: string;
  amountCents: number;
  currency: string;
  date: string;
  state: PaymentState;
  memo: string | null;
  partnerId: number | null;
  /** The invoices it is reconciled with. */
  invoiceIds: number[];
}

function customerPaymentFrom(record: OdooRecord, memo: string): CustomerPayment {
  return {
    id: record.id,
    number: String(record.name),
    amountCents: centsOf(record.amount),
    currency: many2oneName(record.currency_id) ?? '',
    date: String(record.date),
    state: STATES[String(record.state)] ?? 'DRAFT',
    memo: textOrNull(record[memo]),
    partnerId: many2oneId(record.partner_id),
    invoiceIds: idsOf(record.reconciled_invoice_ids),
  };
}

const fieldsWith = (memo: string) => ['name', 'amount', 'currency_id', 'date', 'state', 'partner_id', 'reconciled_invoice_ids', memo];

export async function findCustomerPayments(odoo: OdooClient, domain: OdooDomain): Promise<CustomerPayment[]> {
  const memo = await memoField(odoo);
  const records = await odoo.searchRead(PAYMENT, [['payment_type', '=', 'inbound'], ['partner_type', '=', 'customer'], ...domain], { fields: fieldsWith(memo), order: 'id' });
  return records.map((record) => customerPaymentFrom(record, memo));
}

/** Payments the sync registered carry billing's payment id as their label. */
export const paymentsLabelled = async (odoo: OdooClient, labels: string[]) =>
  findCustomerPayments(odoo, [[await memoField(odoo), 'in', labels]]);

/** By partner: reconciled_invoice_ids is computed and not stored, so Odoo cannot search on it. */
export const paymentsOfPartners = (odoo: OdooClient, partnerIds: number[]) => findCustomerPayments(odoo, [['partner_id', 'in', partnerIds]]);

export async function readCustomerPayment(odoo: OdooClient, id: number): Promise<CustomerPayment> {
  const memo = await memoField(odoo);
  const [record] = await odoo.read(PAYMENT, [id], fieldsWith(memo));
  return customerPaymentFrom(record!, memo);
}

export interface PaymentRegistration {
  amountCents: number;
  date: string;
  /** The payment's label; billing's payment id, so a retry finds it. */
  memo: string;
}

/**
 * Odoo's "Register Payment": the wizard opened on the invoice (active_model and active_ids in the
 * context, as the button does), then its button. Answers the new payment's id.
 */
export async function registerPayment(odoo: OdooClient, invoiceId: number, registration: PaymentRegistration): Promise<number> {
  const values = { amount: amountOf(registration.amountCents), payment_date: registration.date, communication: registration.memo };
  const wizard = await odoo.create(REGISTER, values, { active_model: MOVE, active_ids: [invoiceId] });
  const action = await odoo.call<{ res_id?: unknown }>(REGISTER, 'action_create_payments', { ids: [wizard] });
  // One invoice makes one payment, which the action opens.
  if (typeof action?.res_id !== 'number') throw new OdooError('Register Payment did not answer the payment it created');
  return action.res_id;
}
