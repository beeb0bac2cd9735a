import type { Context, Env, Method, Model, OdooMajor, Row } from '../env.ts';
import { CHAR, DATE, FLOAT, MONETARY, SELECTION, computed, many2many, many2one, one2many, roundAmount, type Field } from '../env.ts';
import { constraintFailed, UserError } from '../exceptions.ts';
import { USD } from './base.ts';

const MOVE = 'account.move';
const LINE = 'account.move.line';
const WIZARD = 'account.payment.register';
const PAYMENT = 'account.payment';
const PARTIALS = 'account.partial.reconcile';

/** Ids of the seeded journals, in the order seedAccounting inserts them. */
export const SALES_JOURNAL = 1;
export const BANK_JOURNAL = 2;

// ---------------------------------------------------------------------------------------------
// Journal entries and invoices (account.move, account.move.line)
// ---------------------------------------------------------------------------------------------

const isProductLine = (line: Row) => line.display_type === 'product';
const lineSubtotal = (line: Row) => (isProductLine(line) ? roundAmount(Number(line.quantity ?? 0) * Number(line.price_unit ?? 0)) : 0);
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

/**
 * An invoice with product lines has one receivable line (display_type 'payment_term'), labelled
 * with its payment reference, that line_ids holds and invoice_line_ids does not; Odoo keeps it in
 * step with the product lines after every change.
 */
function syncReceivableLine(env: Env, move: Row): void {
  if (!isSaleDocument(move)) return;
  const lines = linesOf(env, move);
  const receivable = lines.filter((line) => line.display_type === 'payment_term');
  if (!lines.some(isProductLine)) return env.remove(LINE, receivable.map((line) => line.id));
  const values = { name: move.payment_reference || '', quantity: 0, price_unit: 0, partner_id: move.partner_id ?? false };
  if (receivable[0]) Object.assign(receivable[0], values);
  else env.insert(LINE, { move_id: move.id, display_type: 'payment_term', ...values });
}

/** Odoo's order of refusals when posting: the invoice's own checks first, then the entry's. */
function checkPostable(env: Env, move: Row): void {
  if (isSaleDocument(move) && amountTotal(env, move) < 0) {
    throw UserError(
      'You cannot validate an invoice with a negative total amount. You should create a credit note instead. Use the action menu to transform it into a credit note or refund.',
    );
  }
  if (isSaleDocument(move) && !move.partner_id) {
    throw UserError("The field 'Customer' is required, please complete it to validate the Customer Invoice.");
  }
  if (move.state === 'posted' || move.state === 'cancel') throw UserError(`The entry ${String(move.name)} (id ${move.id}) must be in draft.`);
  if (linesOf(env, move).length === 0) throw UserError('You need to add a line before posting.');
}

/**
 * Numbers the move from its journal's sequence on first posting (a reposted move keeps its
 * number), makes the number the payment reference unless one was given, and counts the customer
 * as a customer once more (customer_rank).
 */
function post(env: Env, move: Row): void {
  move.invoice_date ||= env.today();
  move.invoice_date_due ||= move.invoice_date;
  move.date = move.invoice_date;
  if (move.name === '/') {
    const [journal] = env.browse('account.journal', [Number(move.journal_id)]);
    move.name = env.nextNumber(String(journal?.code), String(move.date));
  }
  move.state = 'posted';
  if (!isSaleDocument(move)) return;
  move.payment_reference ||= move.name;
  const [customer] = env.existing('res.partner', [Number(move.partner_id)]);
  if (customer) customer.customer_rank = Number(customer.customer_rank ?? 0) + 1;
  syncReceivableLine(env, move);
}

function resetToDraft(env: Env, move: Row): void {
  unreconcile(env, move.id);
  move.state = 'draft';
}

/** Every record is checked before any is changed: Odoo runs a call in one transaction. */
const onMoves = (check: (moves: Row[], env: Env) => void, apply: (env: Env, move: Row) => void, result?: unknown): Method => ({
  api: 'records',
  params: [],
  run: ({ env, ids }) => {
    const moves = env.browse(MOVE, ids);
    check(moves, env);
    moves.forEach((move) => apply(env, move));
    return result;
  },
});

const DRAFT_NAMES: Record<string, string> = { out_invoice: 'Draft Invoice', out_refund: 'Draft Credit Note', entry: 'Draft Entry' };

/** Python's textwrap.shorten(ref, width=50), as Odoo shortens the reference in a move's name. */
function shorten(text: string, width = 50): string {
  const words = text.trim().split(/\s+/);
  if (words.join(' ').length <= width) return words.join(' ');
  let kept = '';
  for (const word of words) {
    const next = kept ? `${kept} ${word}` : word;
    if (`${next} [...]`.length > width) break;
    kept = next;
  }
  return kept ? `${kept} [...]` : '[...]';
}

/** _get_move_display_name(show_ref=True): "Draft Invoice (* 7)", "INV/2026/00001", then " (ref)". */
function moveDisplayName(move: Row): string {
  const draft = move.state === 'draft' ? `${DRAFT_NAMES[String(move.move_type)] ?? 'Draft Entry'} ` : '';
  const name = !move.name || move.name === '/' ? `(* ${move.id})` : String(move.name);
  return `${draft}${name}${move.ref ? ` (${shorten(String(move.ref))})` : ''}`;
}

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
    line_ids: one2many(LINE, 'move_id'),
    invoice_line_ids: one2many(LINE, 'move_id', isProductLine),
    amount_untaxed: computed('monetary', amountTotal),
    amount_tax: computed('monetary', () => 0),
    amount_total: computed('monetary', amountTotal),
    amount_residual: computed('monetary', amountResidual),
    payment_state: computed('selection', paymentState),
  },
  displayName: moveDisplayName,
  // Without a payment term, the due date is the invoice date, or today while there is none.
  defaults: (env, vals) => ({
    move_type: 'entry',
    state: 'draft',
    name: '/',
    date: env.today(),
    invoice_date_due: vals.invoice_date || env.today(),
    journal_id: SALES_JOURNAL,
    currency_id: USD,
  }),
  check: (_env, operation, vals) => {
    if (operation === 'create' && vals.state === 'posted') {
      throw UserError('You cannot create a move already in the posted state. Please create a draft move and post it after.');
    }
  },
  changed: (env, moves) => moves.forEach((move) => syncReceivableLine(env, move)),
  methods: {
    action_post: onMoves((moves, env) => moves.forEach((move) => checkPostable(env, move)), post, false),
    button_draft: onMoves((moves) => {
      if (moves.some((move) => move.state !== 'posted' && move.state !== 'cancel')) {
        throw UserError('Only posted/cancelled journal entries can be reset to draft.');
      }
    }, resetToDraft),
    // Odoo resets posted moves to draft on the way to cancelled.
    button_cancel: onMoves(
      (moves) => {
        if (moves.some((move) => move.state === 'cancel')) throw UserError('Only draft journal entries can be cancelled.');
      },
      (env, move) => {
        resetToDraft(env, move);
        move.state = 'cancel';
      },
    ),
  },
};

export const accountMoveLine: Model = {
  name: LINE,
  fields: {
    move_id: many2one(MOVE),
    product_id: many2one('product.product'),
    partner_id: many2one('res.partner'),
    name: CHAR,
    quantity: FLOAT,
    price_unit: FLOAT,
    display_type: SELECTION,
    tax_ids: many2many('account.tax'),
    price_subtotal: computed('monetary', (_env, line) => lineSubtotal(line)),
  },
  // The product fills in the label and the unit price, as Odoo's onchange-like computes do.
  defaults: (env, vals) => {
    const [product] = vals.product_id ? env.browse('product.product', [Number(vals.product_id)]) : [];
    return { display_type: 'product', quantity: 1, name: product?.name ?? false, price_unit: product?.list_price ?? 0 };
  },
  // Lines of a posted entry may change (Odoo rebalances it), but not go.
  check: (env, operation, _vals, lines) => {
    if (operation === 'unlink' && env.existing(MOVE, lines.map((line) => Number(line.move_id))).some((move) => move.state === 'posted')) {
      throw UserError("You can't delete a posted journal item. Don’t play games with your accounting records; reset the journal entry to draft before deleting it.");
    }
  },
  changed: (env, lines) => env.existing(MOVE, [...new Set(lines.map((line) => Number(line.move_id)))]).forEach((move) => syncReceivableLine(env, move)),
};

// ---------------------------------------------------------------------------------------------
// Payments (account.payment.register, account.payment) and what they settle
// ---------------------------------------------------------------------------------------------

/**
 * Which payment settles how much of which invoice. Odoo keeps this in account.partial.reconcile
 * between journal items; here it links the invoice and the payment directly.
 */
const reconcile = (env: Env, invoiceId: number, paymentId: number, amount: number) => env.insert(PARTIALS, { invoice_id: invoiceId, payment_id: paymentId, amount });

const paidAmount = (env: Env, invoiceId: number) =>
  env.rows(PARTIALS).filter((p) => p.invoice_id === invoiceId).reduce((sum, p) => sum + Number(p.amount), 0);

const reconciledInvoiceIds = (env: Env, paymentId: number) => env.rows(PARTIALS).filter((p) => p.payment_id === paymentId).map((p) => Number(p.invoice_id));

/** What resetting an invoice to draft does to its payments: they stay, no longer reconciled. */
const unreconcile = (env: Env, invoiceId: number) => env.remove(PARTIALS, env.rows(PARTIALS).filter((p) => p.invoice_id === invoiceId).map((p) => p.id));

/** The wizard's default_get: it only opens on posted invoices that still have something to pay. */
function invoicesToPay(env: Env, context: Context): Row[] {
  if (context.active_model !== MOVE) {
    throw UserError('The register payment wizard should only be called on account.move or account.move.line records.');
  }
  // Odoo looks at the invoices' journal items: an invoice without any has nothing to pay.
  const invoices = env.browse(MOVE, Array.isArray(context.active_ids) ? context.active_ids.map(Number) : []).filter((invoice) => linesOf(env, invoice).length > 0);
  if (invoices.some((invoice) => invoice.state !== 'posted')) throw UserError('You can only register payment for posted journal entries.');
  if (!invoices.some((invoice) => amountResidual(env, invoice) > 0)) {
    throw UserError("You can't register a payment because there is nothing left to pay on the selected journal items.");
  }
  return invoices;
}

/** A posted inbound payment, its journal entry (named like it, the memo as its ref), and its reconciliation with the invoice. */
function pay(env: Env, wizard: Row, invoice: Row, amount: number): Row {
  const [journal] = env.browse('account.journal', [Number(wizard.journal_id)]);
  const date = String(wizard.payment_date);
  const name = env.nextNumber(`P${String(journal?.code)}`, date);
  const memo = wizard.communication || false;
  const common = { name, date, partner_id: invoice.partner_id, journal_id: journal?.id, currency_id: wizard.currency_id };
  const move = env.insert(MOVE, { ...common, move_type: 'entry', state: 'posted', ref: memo });
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
    // The payment's SQL constraint: the wizard takes a negative amount, the payment it makes does not.
    if (wizards.some((wizard) => Number(wizard.amount) < 0)) throw constraintFailed('The payment amount cannot be negative.');
    const payments = wizards.flatMap((wizard) => {
      const invoices = env.browse(MOVE, wizard.invoice_ids as number[]);
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
  computed(type, (env, payment) => env.existing(MOVE, [Number(payment.move_id)])[0]?.[name] ?? false);

/**
 * Up to 17, account.payment _inherits account.move through move_id: the entry's fields (ref,
 * move_type...) read as the payment's, and state is the entry's draft/posted/cancel. From 18 it
 * is a model of its own: move_id is a plain many2one (empty when the journal has no outstanding
 * account), the label is `memo`, and state is draft/in_process/paid/canceled/rejected, 'in_process'
 * until the payment is matched with a bank statement line.
 */
function accountPayment(version: OdooMajor): Model {
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
    move_id: many2one(MOVE),
    reconciled_invoice_ids: computed('many2many', (env, payment) => reconciledInvoiceIds(env, payment.id), MOVE),
  };
  const versionFields: Record<string, Field> = version >= 18 ? { memo: CHAR } : { ref: fromMove('char', 'ref'), move_type: fromMove('selection', 'move_type') };
  return { name: PAYMENT, fields: { ...fields, ...versionFields } };
}

// ---------------------------------------------------------------------------------------------
// The catalog: journals, taxes, products
// ---------------------------------------------------------------------------------------------

const accountJournal: Model = { name: 'account.journal', fields: { name: CHAR, code: CHAR, type: SELECTION } };

/** Lines name their taxes; this database has none, so amount_tax is always 0. */
const accountTax: Model = { name: 'account.tax', fields: { name: CHAR, amount: FLOAT } };

const productProduct: Model = {
  name: 'product.product',
  fields: { name: CHAR, default_code: CHAR, list_price: FLOAT },
  displayName: (row) => (row.default_code ? `[${String(row.default_code)}] ${String(row.name)}` : String(row.name)),
};

export const accountingModels = (version: OdooMajor): Model[] => [
  accountJournal,
  accountTax,
  productProduct,
  accountMove,
  accountMoveLine,
  accountPaymentRegister,
  accountPayment(version),
];

/** What a fresh database with Invoicing installed has: a sales and a bank journal, products. */
export function seedAccounting(env: Env): void {
  env.insert('account.journal', { name: 'Customer Invoices', code: 'INV', type: 'sale' });
  env.insert('account.journal', { name: 'Bank', code: 'BNK1', type: 'bank' });
  env.insert('product.product', { name: 'Consultation', default_code: 'CONSULT', list_price: 120 });
  env.insert('product.product', { name: 'Laboratory panel', default_code: 'LAB', list_price: 45 });
}
