import type { Context, Env, Method, Model, OdooMajor, Row } from '../env.ts';
import { UserError, ValidationError } from '../exceptions.ts';
import { CHAR, DATE, MONETARY, SELECTION, computed, many2one, type Field } from '../fields.ts';
import { amountResidual } from './account-move.ts';
import { BANK_JOURNAL, USD } from './catalog.ts';
import { reconcile, reconciledInvoiceIds } from './reconciliation.ts';

const WIZARD = 'account.payment.register';
const PAYMENT = 'account.payment';

/** The wizard's default_get: it only opens on posted invoices that still have something to pay. */
function invoicesToPay(env: Env, context: Context): Row[] {
  if (context.active_model !== 'account.move') {
    throw UserError('The register payment wizard should only be called on account.move or account.move.line records.');
  }
  const invoices = env.browse('account.move', Array.isArray(context.active_ids) ? context.active_ids.map(Number) : []);
  if (invoices.some((invoice) => invoice.state !== 'posted')) throw UserError('You can only register payment for posted journal entries.');
  if (invoices.every((invoice) => amountResidual(env, invoice) <= 0)) {
    throw UserError("You can't register a payment because there is nothing left to pay on the selected journal items.");
  }
  return invoices;
}

/** A posted inbound payment, its journal entry, and its reconciliation with the invoice. */
function pay(env: Env, wizard: Row, invoice: Row, amount: number): Row {
  const [journal] = env.browse('account.journal', [Number(wizard.journal_id)]);
  const date = String(wizard.payment_date);
  const name = env.nextNumber(`P${String(journal?.code)}`, date);
  const memo = wizard.communication || false;
  const common = { name, date, partner_id: invoice.partner_id, journal_id: journal?.id, currency_id: wizard.currency_id };
  const move = env.insert('account.move', { ...common, move_type: 'entry', state: 'posted', ref: memo });
  const state = env.version >= 18 ? 'in_process' : 'posted';
  const payment = env.insert(PAYMENT, { ...common, amount, memo, state, payment_type: 'inbound', partner_type: 'customer', move_id: move.id });
  reconcile(env, invoice.id, payment.id, Math.min(amount, amountResidual(env, invoice)));
  return payment;
}

const createPayments: Method = {
  api: 'records',
  params: [],
  run: ({ env, ids }) => {
    const wizards = env.browse(WIZARD, ids);
    if (wizards.some((wizard) => Number(wizard.amount) < 0)) throw ValidationError('The payment amount cannot be negative.');
    const payments = wizards.flatMap((wizard) => {
      const invoices = env.browse('account.move', wizard.invoice_ids as number[]);
      // One invoice takes the wizard's amount (partial payments); several are each paid in full.
      const [only] = invoices;
      if (only && invoices.length === 1) return [pay(env, wizard, only, Number(wizard.amount))];
      return invoices.map((invoice) => pay(env, wizard, invoice, amountResidual(env, invoice)));
    });
    const action = { name: 'Payments', type: 'ir.actions.act_window', res_model: PAYMENT, context: { create: false } };
    const [single] = payments;
    if (single && payments.length === 1) return { ...action, view_mode: 'form', res_id: single.id };
    const listView = env.version >= 18 ? 'list' : 'tree';
    return { ...action, view_mode: `${listView},form`, domain: [['id', 'in', payments.map((payment) => payment.id)]] };
  },
};

export const accountPaymentRegister: Model = {
  name: WIZARD,
  fields: {
    amount: MONETARY,
    payment_date: DATE,
    communication: CHAR,
    journal_id: many2one('account.journal'),
    partner_id: many2one('res.partner'),
    currency_id: many2one('res.currency'),
  },
  defaults: (env, _vals, context) => {
    const invoices = invoicesToPay(env, context);
    return {
      invoice_ids: invoices.map((invoice) => invoice.id),
      amount: invoices.reduce((sum, invoice) => sum + amountResidual(env, invoice), 0),
      payment_date: env.today(),
      // Odoo's _get_batch_communication: the payment reference, else the customer reference, else the number.
      communication: invoices.map((invoice) => invoice.payment_reference || invoice.ref || invoice.name).join(' '),
      journal_id: BANK_JOURNAL,
      partner_id: invoices[0]?.partner_id ?? false,
      currency_id: USD,
    };
  },
  methods: { action_create_payments: createPayments },
};

/** A field of the payment's journal entry, read through move_id as _inherits does. */
const fromMove = (type: Field['type'], name: string): Field =>
  computed(type, (env, payment) => env.existing('account.move', [Number(payment.move_id)])[0]?.[name] ?? false);

/**
 * Up to 17, account.payment _inherits account.move through move_id: the entry's fields (ref,
 * move_type...) read as the payment's, and state is the entry's draft/posted/cancel. From 18 it
 * is a model of its own: move_id is a plain many2one (empty when the journal has no outstanding
 * account), the label is `memo`, and state is draft/in_process/paid/canceled/rejected, 'in_process'
 * until the payment is matched with a bank statement line.
 */
export function accountPayment(version: OdooMajor): Model {
  const fields: Record<string, Field> = {
    name: CHAR,
    amount: MONETARY,
    date: DATE,
    state: SELECTION,
    payment_type: SELECTION,
    partner_type: SELECTION,
    partner_id: many2one('res.partner'),
    journal_id: many2one('account.journal'),
    currency_id: many2one('res.currency'),
    move_id: many2one('account.move'),
    reconciled_invoice_ids: computed('many2many', (env, payment) => reconciledInvoiceIds(env, payment.id), 'account.move'),
  };
  const versionFields: Record<string, Field> = version >= 18 ? { memo: CHAR } : { ref: fromMove('char', 'ref'), move_type: fromMove('selection', 'move_type') };
  return { name: PAYMENT, fields: { ...fields, ...versionFields } };
}
