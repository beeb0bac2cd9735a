import type { Context, Env, Method, Model, OdooMajor, Row } from '../env.ts';
import { CHAR, DATE, FLOAT, MONETARY, SELECTION, computed, many2one, one2many, roundAmount, type Field } from '../env.ts';
import { UserError, ValidationError } from '../exceptions.ts';
import { BANK_JOURNAL, SALES_JOURNAL, USD } from './base.ts';

const MOVE = 'account.move';
const LINE = 'account.move.line';

const lineSubtotal = (line: Row) => roundAmount(Number(line.quantity ?? 0) * Number(line.price_unit ?? 0));
const linesOf = (env: Env, move: Row) => env.rows(LINE).filter((line) => line.move_id === move.id);
const isSaleDocument = (move: Row) => move.move_type === 'out_invoice' || move.move_type === 'out_refund';

/** No taxes here: amount_tax is 0 and the total is the untaxed amount. */
export const amountTotal = (env: Env, move: Row) => roundAmount(linesOf(env, move).reduce((sum, line) => sum + lineSubtotal(line), 0));
export const amountResidual = (env: Env, move: Row) => roundAmount(amountTotal(env, move) - paidAmount(env, move.id));

/**
 * A fully paid invoice is 'paid' in 17 Community (only Enterprise's accounting app turned on
 * 'in_payment'); from 18 it is 'in_payment' while its payments await bank matching, which this
 * server does not model.
 */
function paymentState(env: Env, move: Row): string {
  if (move.state !== 'posted' || !isSaleDocument(move)) return 'not_paid';
  if (amountResidual(env, move) <= 0) return env.version >= 18 ? 'in_payment' : 'paid';
  return paidAmount(env, move.id) > 0 ? 'partial' : 'not_paid';
}

function checkPostable(env: Env, move: Row): void {
  if (isSaleDocument(move) && amountTotal(env, move) < 0) {
    throw UserError('You cannot validate an invoice with a negative total amount. You should create a credit note instead.');
  }
  if (isSaleDocument(move) && !move.partner_id) {
    throw UserError("The field 'Customer' is required, please complete it to validate the Customer Invoice.");
  }
  if (move.state === 'posted') throw UserError(`The entry ${String(move.name)} (id ${move.id}) is already posted.`);
  if (linesOf(env, move).length === 0) throw UserError('You need to add a line before posting.');
}

/** Numbers the move from its journal's sequence on first posting; a reposted move keeps its number. */
function post(env: Env, move: Row): void {
  move.invoice_date ||= env.today();
  move.invoice_date_due ||= move.invoice_date;
  move.date = move.invoice_date;
  if (move.name === '/') {
    const [journal] = env.browse('account.journal', [Number(move.journal_id)]);
    move.name = env.nextNumber(String(journal?.code), String(move.date));
  }
  move.state = 'posted';
}

function resetToDraft(env: Env, move: Row): void {
  unreconcile(env, move.id);
  move.state = 'draft';
}

/** Every record is checked before any is changed: Odoo runs a call in one transaction. */
const onMoves = (check: (moves: Row[], env: Env) => void, apply: (env: Env, move: Row) => void, result: unknown): Method => ({
  api: 'records',
  params: [],
  run: ({ env, ids }) => {
    const moves = env.browse(MOVE, ids);
    check(moves, env);
    moves.forEach((move) => apply(env, move));
    return result;
  },
});

export const accountMove: Model = {
  name: MOVE,
  fields: {
    name: CHAR,
    move_type: SELECTION,
    state: SELECTION,
    partner_id: many2one('res.partner'),
    journal_id: many2one('account.journal'),
    currency_id: many2one('res.currency'),
    date: DATE,
    invoice_date: DATE,
    invoice_date_due: DATE,
    ref: CHAR,
    payment_reference: CHAR,
    invoice_line_ids: one2many(LINE, 'move_id'),
    amount_untaxed: computed('monetary', amountTotal),
    amount_tax: computed('monetary', () => 0),
    amount_total: computed('monetary', amountTotal),
    amount_residual: computed('monetary', amountResidual),
    payment_state: computed('selection', paymentState),
  },
  displayName: (move) => (move.name === '/' ? `Draft Invoice (* ${move.id})` : String(move.name)),
  defaults: (env) => ({ move_type: 'entry', state: 'draft', name: '/', date: env.today(), journal_id: SALES_JOURNAL, currency_id: USD }),
  methods: {
    action_post: onMoves((moves, env) => moves.forEach((move) => checkPostable(env, move)), post, false),
    button_draft: onMoves(
      (moves) => {
        if (moves.some((move) => move.state !== 'posted' && move.state !== 'cancel')) {
          throw UserError('Only posted/cancelled journal entries can be reset to draft.');
        }
      },
      resetToDraft,
      null,
    ),
    // Odoo resets posted moves to draft on the way to cancelled.
    button_cancel: onMoves(
      (moves) => {
        if (moves.some((move) => move.state === 'cancel')) throw UserError('Only draft journal entries can be cancelled.');
      },
      (env, move) => {
        resetToDraft(env, move);
        move.state = 'cancel';
      },
      null,
    ),
  },
};

function refuseIfPosted(env: Env, moveIds: unknown[]): void {
  if (env.existing(MOVE, moveIds.map(Number)).some((move) => move.state === 'posted')) {
    throw UserError('You cannot modify the lines of a posted journal entry. Reset it to draft first.');
  }
}

export const accountMoveLine: Model = {
  name: LINE,
  fields: {
    move_id: many2one(MOVE),
    product_id: many2one('product.product'),
    name: CHAR,
    quantity: FLOAT,
    price_unit: FLOAT,
    display_type: SELECTION,
    price_subtotal: computed('monetary', (_env, line) => lineSubtotal(line)),
  },
  // The product fills in the label and the unit price, as Odoo's onchange-like computes do.
  defaults: (env, vals) => {
    const [product] = vals.product_id ? env.browse('product.product', [Number(vals.product_id)]) : [];
    return { display_type: 'product', quantity: 1, name: product?.name ?? false, price_unit: product?.list_price ?? 0 };
  },
  check: (env, vals, lines) => refuseIfPosted(env, lines.length > 0 ? lines.map((line) => line.move_id) : [vals.move_id]),
};

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
