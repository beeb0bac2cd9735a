import type { Env, Method, Model, Row } from '../env.ts';
import { UserError } from '../exceptions.ts';
import { CHAR, DATE, FLOAT, SELECTION, computed, many2one, one2many, roundAmount } from '../fields.ts';
import { SALES_JOURNAL, USD } from './catalog.ts';
import { paidAmount, unreconcile } from './reconciliation.ts';

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
