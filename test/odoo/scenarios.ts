import { expect } from 'vitest';
import { createCustomerInvoice, findCustomerInvoices, postCustomerInvoice, readCustomerInvoice } from '../../subgraphs/odoo-finance/accounting/customer-invoice.ts';
import { paymentsLabelled, readCustomerPayment, registerPayment } from '../../subgraphs/odoo-finance/accounting/customer-payment.ts';
import { createPatientPartner, findPatientPartners } from '../../subgraphs/odoo-finance/accounting/patient-partner.ts';
import { cancelActivity, completeActivity, readActivity, scheduleActivity, TODO_ACTIVITY_TYPE } from '../../subgraphs/odoo-finance/odoo/activities.ts';
import type { OdooClient, OdooClientOptions } from '../../subgraphs/odoo-finance/odoo/client.ts';
import {
  OdooAccessError,
  OdooConfigurationError,
  OdooError,
  OdooMissingError,
  OdooUserError,
  OdooValidationError,
} from '../../subgraphs/odoo-finance/odoo/errors.ts';
import { Json2Transport } from '../../subgraphs/odoo-finance/odoo/json-2.ts';
import type { OdooConnection } from '../../subgraphs/odoo-finance/odoo/transport.ts';
import type { ProxiedRequest } from './fault-proxy.ts';
import { createInvoice, INVOICE_UNTAXED, postInvoice } from './invoicing.ts';

/**
 * The calls the connector makes and what Odoo answers them, as tests. Each runs live against the
 * bundled Odoo (every version) and, with ODOO_CONTRACT=1, a real one; its exchanges with a real
 * Odoo 17 are recorded in fixtures/odoo17/ and replayed in CI (see fixtures/odoo17/README.md).
 */
export interface Scenario {
  /** The fixture's file name. */
  name: string;
  title: string;
  /** Versions it applies to; all when absent. */
  versions?: (version: number) => boolean;
  run(context: ScenarioContext): Promise<void>;
}

export interface ScenarioContext {
  /** The connector, as the subgraph makes it; a fresh one per scenario, so each logs in. */
  client: OdooClient;
  /** Another client on the same Odoo (a wrong key, a forced transport). */
  clientWith(options: Partial<OdooClientOptions>): OdooClient;
  connection: OdooConnection;
  /** Every request this Odoo received in the scenario, in order. */
  requests: ProxiedRequest[];
  /** Keeps this run's references apart from earlier runs' on a real Odoo. */
  run: string;
  today: string;
  version: number;
  /** What the client speaks to this Odoo. */
  transport: 'json-rpc' | 'json-2';
}

export const dayFrom = (today: string, days: number) => new Date(Date.parse(today) + days * 86_400_000).toISOString().slice(0, 10);

const failureOf = (work: Promise<unknown>) => work.then(
  () => {
    throw new Error('expected Odoo to refuse');
  },
  (error: unknown) => error as OdooError,
);

/** The model call a request carries, whichever transport sent it. */
export function objectCall({ path, body }: ProxiedRequest): { model: string; method: string; ids: unknown } | undefined {
  const json = JSON.parse(body) as { ids?: unknown; params?: { method?: string; args?: unknown[] } };
  const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (json2) return { model: String(json2[1]), method: String(json2[2]), ids: json.ids };
  const args = json.params;
  if (args?.method !== 'execute_kw' || !args.args) return undefined;
  const [, , , model, method, positional] = args.args;
  return { model: String(model), method: String(method), ids: (positional as unknown[])[0] };
}

const INVOICE_FIELDS = [
  'name', 'display_name', 'state', 'payment_state', 'invoice_date', 'invoice_date_due', 'payment_reference', 'ref',
  'partner_id', 'currency_id', 'line_ids', 'invoice_line_ids', 'amount_untaxed', 'amount_total', 'amount_residual',
];
const LINE_FIELDS = ['name', 'display_type', 'quantity', 'price_unit', 'price_subtotal'];
const NUMBER = /^INV\/\d{4}\/\d+$/;

async function partner(client: OdooClient, run: string, label: string): Promise<number> {
  return client.create('res.partner', { name: `Contract ${label}`, ref: `HG-${run}-${label}` });
}

async function postedInvoice(client: OdooClient, run: string, label: string) {
  const partnerId = await partner(client, run, label);
  const invoiceId = await createInvoice(client, partnerId);
  await postInvoice(client, invoiceId);
  return { partnerId, invoiceId };
}

export const scenarios: Scenario[] = [
  {
    name: 'partner',
    title: 'creates a partner and finds it by ref; refuses one without a name, or with a field Odoo does not have',
    async run({ client, run }) {
      const ref = `HG-${run}-partner`;
      const id = await client.create('res.partner', { name: 'Contract partner', ref, email: 'partner@example.org' });
      expect(await client.searchRead('res.partner', [['ref', '=', ref]], { fields: ['name', 'ref', 'email', 'customer_rank', 'active'] })).toEqual([
        { id, name: 'Contract partner', ref, email: 'partner@example.org', customer_rank: 0, active: true },
      ]);
      const patientId = `HG-${run}-patient`;
      const partnerId = await createPatientPartner(client, patientId);
      expect(await findPatientPartners(client, [patientId, `HG-${run}-nobody`])).toEqual([{ id: partnerId, ref: patientId }]);

      const nameless = await failureOf(client.create('res.partner', { ref: `HG-${run}-nameless` }));
      expect(nameless).toBeInstanceOf(OdooValidationError);
      expect(nameless.message).toBe('The operation cannot be completed: Contacts require a name');
      const misspelt = await failureOf(client.create('res.partner', { name: 'Misspelt', emial: 'misspelt@example.org' }));
      expect(misspelt).toMatchObject({ odooName: 'builtins.ValueError', message: "Invalid field 'emial' on model 'res.partner'" });
    },
  },
  {
    name: 'invoice',
    title: 'creates a draft invoice due today, posts it: numbered, its number as payment reference, the customer ranked',
    async run({ client, run, today }) {
      const partnerId = await partner(client, run, 'invoice');
      const invoiceId = await createInvoice(client, partnerId);
      const [draft] = await client.read('account.move', [invoiceId], INVOICE_FIELDS);
      expect(draft).toMatchObject({
        name: '/',
        display_name: `Draft Invoice (* ${invoiceId})`,
        state: 'draft',
        payment_state: 'not_paid',
        invoice_date: false,
        invoice_date_due: today,
        payment_reference: false,
        partner_id: [partnerId, 'Contract invoice'],
        currency_id: [expect.any(Number), 'USD'],
        amount_untaxed: INVOICE_UNTAXED,
        amount_total: INVOICE_UNTAXED,
        amount_residual: INVOICE_UNTAXED,
      });
      // line_ids holds the receivable (payment term) line besides the product lines.
      const productLines = draft?.invoice_line_ids as number[];
      expect(productLines).toHaveLength(2);
      expect(draft?.line_ids).toEqual(expect.arrayContaining(productLines));
      expect(draft?.line_ids).toHaveLength(3);
      const lines = await client.read('account.move.line', draft?.line_ids as number[], LINE_FIELDS);
      expect(lines.map((line) => [line.display_type, line.name, line.price_subtotal])).toEqual([
        ['product', 'Consultation', 100],
        ['product', 'Laboratory panel', 50],
        ['payment_term', '', 0],
      ]);
      expect(await client.read('res.partner', [partnerId], ['customer_rank'])).toEqual([{ id: partnerId, customer_rank: 0 }]);

      expect(await postInvoice(client, invoiceId)).toBe(false);
      const [posted] = await client.read('account.move', [invoiceId], INVOICE_FIELDS);
      const number = String(posted?.name);
      expect(number).toMatch(NUMBER);
      expect(posted).toMatchObject({ display_name: number, state: 'posted', invoice_date: today, invoice_date_due: today, payment_reference: number });
      const [, , receivable] = await client.read('account.move.line', posted?.line_ids as number[], LINE_FIELDS);
      expect(receivable).toMatchObject({ display_type: 'payment_term', name: number });
      expect(await client.read('res.partner', [partnerId], ['customer_rank'])).toEqual([{ id: partnerId, customer_rank: 1 }]);

      const again = await failureOf(postInvoice(client, invoiceId));
      expect(again).toBeInstanceOf(OdooUserError);
      expect(again.message).toBe(`The entry ${number} (id ${invoiceId}) must be in draft.`);
      expect(again.message).not.toMatch(/Traceback|File "/);
      const locked = "You can't delete a posted journal item. Don’t play games with your accounting records; reset the journal entry to draft before deleting it.";
      await expect(client.write('account.move', [invoiceId], { invoice_line_ids: [[5, 0, 0]] })).rejects.toThrow(locked);
      await expect(client.call('account.move.line', 'unlink', { ids: [productLines[0] as number] })).rejects.toThrow(locked);
    },
  },
  {
    name: 'sync-invoice',
    title: "creates, posts and reads a customer invoice as the sync does, billing's number as its payment reference",
    async run({ client, run, today }) {
      const patientId = `HG-${run}-synced`;
      const partnerId = await createPatientPartner(client, patientId);
      const ref = `HG-${run}-inv`;
      const lines = [
        { code: '99213', description: 'Office visit', amountCents: 12_000 },
        { code: '80053', description: 'Metabolic panel', amountCents: 4_550 },
      ];
      const dueDate = dayFrom(today, 30);
      const id = await createCustomerInvoice(client, { ref, paymentReference: `${ref}-number`, partnerId, invoiceDate: today, dueDate, lines });
      expect(await findCustomerInvoices(client, [['ref', '=', ref]])).toEqual([expect.objectContaining({ id, state: 'draft', number: null, totalCents: 16_550 })]);
      await postCustomerInvoice(client, id);
      const invoice = await readCustomerInvoice(client, id);
      expect(invoice).toEqual({
        id,
        number: expect.stringMatching(NUMBER),
        ref,
        partnerId,
        state: 'posted',
        paymentState: 'not_paid',
        totalCents: 16_550,
        residualCents: 16_550,
        currency: 'USD',
        invoiceDate: today,
        dueDate,
        lineIds: [expect.any(Number), expect.any(Number)],
      });
      // A payment reference given at creation is kept when the invoice is posted.
      expect(await client.read('account.move', [id], ['payment_reference'])).toEqual([{ id, payment_reference: `${ref}-number` }]);
    },
  },
  {
    name: 'payments',
    title: 'registers a partial then a full payment through the wizard, down to a zero residual; refuses what Odoo refuses',
    async run({ client, run, today, version }) {
      const { invoiceId } = await postedInvoice(client, run, 'payer');
      const labels = [`HG-${run}-pmt-1`, `HG-${run}-pmt-2`];
      const first = await registerPayment(client, invoiceId, { amountCents: 4_000, date: today, memo: labels[0] as string });
      expect(await readCustomerInvoice(client, invoiceId)).toMatchObject({ residualCents: 11_000, paymentState: 'partial' });
      const second = await registerPayment(client, invoiceId, { amountCents: 11_000, date: today, memo: labels[1] as string });
      const settled = await readCustomerInvoice(client, invoiceId);
      expect(settled.residualCents).toBe(0);
      expect(settled.paymentState).toBe(version === 17 ? 'paid' : 'in_payment');

      const payment = await readCustomerPayment(client, first);
      expect(payment).toEqual({
        id: first,
        number: expect.stringMatching(/^PBNK1\/\d{4}\/\d+$/),
        amountCents: 4_000,
        currency: 'USD',
        date: today,
        state: 'POSTED',
        memo: labels[0],
        partnerId: settled.partnerId,
        invoiceIds: [invoiceId],
      });
      expect((await paymentsLabelled(client, labels)).map((found) => [found.id, found.amountCents])).toEqual([[first, 4_000], [second, 11_000]]);
      if (version === 17) {
        // Up to 17 a payment is its journal entry; the entry's name shows the label in brackets.
        const [entry] = await client.read('account.payment', [first], ['move_id', 'ref']);
        expect(entry).toEqual({ id: first, move_id: [expect.any(Number), `${payment.number} (${labels[0]})`], ref: labels[0] });
      }

      await expect(registerPayment(client, invoiceId, { amountCents: 100, date: today, memo: 'late' })).rejects.toThrow(
        "You can't register a payment because there is nothing left to pay on the selected journal items.",
      );
      const draft = await createInvoice(client, settled.partnerId as number);
      await expect(registerPayment(client, draft, { amountCents: 100, date: today, memo: 'draft' })).rejects.toThrow(
        'You can only register payment for posted journal entries.',
      );
      const { invoiceId: another } = await postedInvoice(client, run, 'refund');
      const negative = await failureOf(registerPayment(client, another, { amountCents: -500, date: today, memo: 'negative' }));
      expect(negative).toBeInstanceOf(OdooValidationError);
      expect(negative.message).toBe('The operation cannot be completed: The payment amount cannot be negative.');
    },
  },
  {
    name: 'corrections',
    title: 'resets to draft and cancels (methods that return nothing), and refuses what cannot be posted or reset',
    async run({ client, run }) {
      const { partnerId, invoiceId } = await postedInvoice(client, run, 'corrected');
      expect(await client.call('account.move', 'button_draft', { ids: [invoiceId] })).toBeUndefined();
      expect(await client.call('account.move', 'button_cancel', { ids: [invoiceId] })).toBeUndefined();
      const fields = ['state', 'payment_state', 'amount_residual'];
      expect(await client.read('account.move', [invoiceId], fields)).toEqual([{ id: invoiceId, state: 'cancel', payment_state: 'not_paid', amount_residual: INVOICE_UNTAXED }]);
      await expect(client.call('account.move', 'button_cancel', { ids: [invoiceId] })).rejects.toThrow('Only draft journal entries can be cancelled.');
      expect(await client.call('account.move', 'button_draft', { ids: [invoiceId] })).toBeUndefined();
      await expect(client.call('account.move', 'button_draft', { ids: [invoiceId] })).rejects.toThrow('Only posted/cancelled journal entries can be reset to draft.');

      const empty = await createInvoice(client, partnerId, []);
      await expect(postInvoice(client, empty)).rejects.toThrow('You need to add a line before posting.');
      const orphan = await createInvoice(client, false);
      await expect(postInvoice(client, orphan)).rejects.toThrow("The field 'Customer' is required, please complete it to validate the Customer Invoice.");
      const negative = await createInvoice(client, partnerId, [[0, 0, { name: 'Refund', quantity: 1, price_unit: -100, tax_ids: [[6, 0, []]] }]]);
      await expect(postInvoice(client, negative)).rejects.toThrow(
        'You cannot validate an invoice with a negative total amount. You should create a credit note instead. Use the action menu to transform it into a credit note or refund.',
      );
    },
  },
  {
    name: 'api-errors',
    title: 'answers private methods, unknown methods, fields, models and ids, and a wrong key as Odoo does',
    async run({ client, clientWith, version, transport }) {
      const [anyone] = await client.searchRead('res.partner', [], { fields: ['active'], limit: 1, order: 'id' });
      const id = anyone?.id as number;
      const privateMethod = await failureOf(client.call('res.partner', '_compute_display_name', { ids: [id] }));
      expect(privateMethod).toBeInstanceOf(OdooAccessError);
      const unknownMethod = await failureOf(client.call('res.partner', 'frobnicate', { ids: [id] }));
      if (version === 17) {
        expect(privateMethod.message).toBe('Private methods (such as _compute_display_name) cannot be called remotely.');
        expect(unknownMethod).toMatchObject({ odooName: 'builtins.AttributeError', message: "The method 'frobnicate' does not exist on the model 'res.partner'" });
      } else {
        // From 18 the messages name the model first, and JSON-2 answers an unknown method 404.
        expect(privateMethod.message).toBe("Private methods (such as 'res.partner._compute_display_name') cannot be called remotely.");
        expect(unknownMethod.message).toBe("The method 'res.partner.frobnicate' does not exist");
      }
      expect(await failureOf(client.searchRead('res.partner', [['blood_type', '=', 'O']], { fields: ['name'] }))).toMatchObject({
        odooName: 'builtins.ValueError',
        message: "Invalid field res.partner.blood_type in leaf ('blood_type', '=', 'O')",
      });
      const ward = await failureOf(client.searchRead('hospital.ward', []));
      if (transport === 'json-2') expect(ward).toMatchObject({ name: 'OdooMissingError', message: "the model 'hospital.ward' does not exist" });
      else expect(ward).toMatchObject({ name: 'OdooUserError', message: "Object hospital.ward doesn't exist" });
      // read leaves out ids that do not exist; the connector makes that a MissingError.
      await expect(client.read('res.partner', [2_000_000_000], ['name'])).rejects.toBeInstanceOf(OdooMissingError);
      const write = await failureOf(client.write('res.partner', [2_000_000_000], { name: 'Nobody' }));
      expect(write).toBeInstanceOf(OdooMissingError);
      expect(write.message).toMatch(/^Record does not exist or has been deleted\.\n\(Record: res\.partner\(2000000000,\), User: \d+\)$/);
      await expect(clientWith({ apiKey: 'not-the-api-key' }).searchRead('res.partner', [], { limit: 1 })).rejects.toBeInstanceOf(OdooAccessError);
    },
  },
  {
    name: 'batch-read',
    title: 'reads the ids loaded in one tick with one request, and fails only the missing one',
    async run({ client, run, requests }) {
      const ids: number[] = [];
      for (const label of ['batch-a', 'batch-b', 'batch-c']) ids.push(await partner(client, run, label));
      const before = requests.length;
      const reader = client.reader('res.partner', ['ref']);
      const [found, missing] = await Promise.all([Promise.all(ids.map((id) => reader.load(id))), reader.load(2_000_000_000).catch((error: unknown) => error)]);
      expect(found.map((record) => record.ref)).toEqual(['batch-a', 'batch-b', 'batch-c'].map((label) => `HG-${run}-${label}`));
      expect(missing).toBeInstanceOf(OdooMissingError);
      expect(requests.slice(before).map(objectCall)).toEqual([{ model: 'res.partner', method: 'read', ids: [...ids, 2_000_000_000] }]);
    },
  },
  {
    name: 'activities',
    title: 'schedules tasks on a partner, completes one with feedback (a message, the activity gone), marks one done, cancels one',
    async run({ client, run, today, connection }) {
      const partnerId = await partner(client, run, 'activities');
      const [user] = await client.searchRead('res.users', [['login', '=', connection.login]], { fields: ['name'] });
      const userId = user?.id as number;
      const note = '<p>Compare with <b>pat-0001</b></p>';
      const duplicate = await scheduleActivity(client, { partnerId, summary: 'Resolve a probable duplicate', note, deadline: dayFrom(today, 4), userId });
      expect(await readActivity(client, duplicate)).toEqual({
        id: duplicate,
        partnerId,
        summary: 'Resolve a probable duplicate',
        note,
        deadline: dayFrom(today, 4),
        userId,
        // The healthgraph_notify addon's type: the addon reports these when they are done.
        activityType: 'Healthcare graph task',
        state: 'planned',
      });
      expect(await client.read('res.partner', [partnerId], ['activity_ids', 'activity_state', 'activity_summary'])).toEqual([
        { id: partnerId, activity_ids: [duplicate], activity_state: 'planned', activity_summary: 'Resolve a probable duplicate' },
      ]);

      const messageId = await completeActivity(client, duplicate, 'Same person: merged');
      expect(await readActivity(client, duplicate)).toBeNull();
      const [message] = await client.read('mail.message', [messageId], ['model', 'res_id', 'message_type', 'subtype_id', 'mail_activity_type_id', 'body']);
      expect(message).toMatchObject({
        model: 'res.partner',
        res_id: partnerId,
        message_type: 'notification',
        subtype_id: [expect.any(Number), 'Activities'],
        mail_activity_type_id: [expect.any(Number), 'Healthcare graph task'],
      });
      expect(message?.body).toContain('Same person: merged');
      expect(message?.body).toContain(note);
      await expect(completeActivity(client, duplicate, 'twice')).rejects.toBeInstanceOf(OdooMissingError);

      const call = await scheduleActivity(client, { partnerId, summary: 'Call the patient', deadline: dayFrom(today, -5), userId, activityType: TODO_ACTIVITY_TYPE });
      expect(await readActivity(client, call)).toMatchObject({ state: 'overdue', note: null, activityType: 'To-Do' });
      expect(await completeActivity(client, call)).toEqual(expect.any(Number));
      const visit = await scheduleActivity(client, { partnerId, summary: 'Prepare the visit', deadline: today });
      expect(await readActivity(client, visit)).toMatchObject({ state: 'today', userId });
      await cancelActivity(client, visit);
      expect(await readActivity(client, visit)).toBeNull();
      await expect(cancelActivity(client, visit)).rejects.toBeInstanceOf(OdooMissingError);
      expect(await client.read('res.partner', [partnerId], ['activity_ids', 'activity_state'])).toEqual([{ id: partnerId, activity_ids: [], activity_state: false }]);
    },
  },
  {
    name: 'json-2-before-19',
    title: 'refuses JSON-2 where Odoo has none, as a configuration error',
    versions: (version) => version < 19,
    async run({ clientWith, connection, version }) {
      const forced = clientWith({ transport: 'json-2' });
      const failure = await failureOf(forced.searchRead('res.partner', [], { limit: 1 }));
      expect(failure).toBeInstanceOf(OdooConfigurationError);
      expect(failure.message).toBe(`Odoo ${version}.0 has no JSON-2 API (it came with Odoo 19): set ODOO_TRANSPORT to json-rpc or auto`);
      // The route itself: Odoo's HTML page, not a missing record.
      const route = new Json2Transport(connection, 10_000).execute({ model: 'res.partner', method: 'search_read', params: { domain: [] } });
      await expect(route).rejects.toBeInstanceOf(OdooConfigurationError);
    },
  },
];
