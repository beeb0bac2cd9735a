import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { contextFrom } from '../../platform/observability/tracing.ts';
import { ODOO_WEBHOOK_PATH } from '../../subgraphs/odoo-finance/inbound/odoo-webhook.ts';
import { odooFinanceRoutes } from '../../subgraphs/odoo-finance/subgraph.ts';
import { registerPayment } from '../odoo/invoicing.ts';
import { codesOf } from '../support/graphql.ts';
import {
  callers,
  eachVersion,
  invoiceIdOf,
  invoiceIssued,
  newPatientId,
  odooCalls,
  odooMoveOf,
  outboxEvents,
  paymentPosted,
  startFinanceService,
  synced,
  type FinanceService,
  type InvoiceIssued,
} from './harness.ts';

const REPORT_INVOICE = 'mutation($id: Int!) { reportOdooInvoiceChanged(odooInvoiceId: $id) { id state paymentState residual { value } } }';
const REPORT_PAYMENT = 'mutation($id: Int!) { reportOdooPaymentRegistered(odooPaymentId: $id) { id amount { value } state memo } }';
const TOKEN = 'a'.repeat(24) + 'webhook-token-for-tests';

describe.each(eachVersion)('Odoo telling the graph, on Odoo $version and $engine', ({ version, url }) => {
  let service: FinanceService;
  beforeAll(async () => {
    service = await startFinanceService(version, url);
  });
  afterAll(() => service?.close());

  const report = (mutation: string, id: number) => service.call(mutation, { id }, callers.odooService);
  const announced = <T extends 'org.healthgraph.invoice.updated.v1' | 'org.healthgraph.odoo.payment_registered.v1'>(type: T, issued: InvoiceIssued) =>
    outboxEvents(service.db, type, invoiceIdOf(issued));

  /** A synced invoice of 100 and a payment of 30 registered in Odoo by finance, not through the graph. */
  async function paidInOdoo() {
    const issued = invoiceIssued(newPatientId(), [10_000]);
    await synced(service.sync, issued);
    const action = (await registerPayment(service.client, await odooMoveOf(service.db, issued), { amount: 30 })) as { res_id: number };
    return { issued, odooPaymentId: action.res_id };
  }

  it('reads a changed invoice again from Odoo, records it, and announces invoice.updated once', async () => {
    const issued = invoiceIssued(newPatientId(), [10_000]);
    await synced(service.sync, issued);
    const moveId = await odooMoveOf(service.db, issued);
    await service.client.call('account.move', 'button_cancel', { ids: [moveId] });

    const first = await report(REPORT_INVOICE, moveId);
    expect(first.data).toEqual({ reportOdooInvoiceChanged: { id: moveId, state: 'CANCELLED', paymentState: 'NOT_PAID', residual: { value: 100 } } });
    await report(REPORT_INVOICE, moveId);
    const updates = await announced('org.healthgraph.invoice.updated.v1', issued);
    expect(updates.map((event) => event.data)).toEqual([
      { invoiceId: invoiceIdOf(issued), patientId: issued.data.patientId, odooInvoiceId: moveId, changed: ['state'], state: 'cancel', paymentState: 'not_paid' },
    ]);
  });

  it("announces a payment registered in Odoo, with Odoo's amount, once, for billing to post", async () => {
    const { issued, odooPaymentId } = await paidInOdoo();
    const first = await report(REPORT_PAYMENT, odooPaymentId);
    expect(first.data!.reportOdooPaymentRegistered).toMatchObject({ id: odooPaymentId, amount: { value: 30 }, state: 'POSTED' });
    await report(REPORT_PAYMENT, odooPaymentId);
    const payments = await announced('org.healthgraph.odoo.payment_registered.v1', issued);
    expect(payments.map((event) => event.data)).toEqual([
      {
        paymentId: `odoo-payment-${odooPaymentId}`,
        odooPaymentId,
        invoiceId: invoiceIdOf(issued),
        patientId: issued.data.patientId,
        amountCents: 3_000,
        receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
  });

  it('recognises a payment the sync registered for billing, and echoes nothing', async () => {
    const issued = invoiceIssued(newPatientId(), [10_000]);
    const payment = paymentPosted(issued, 2_500);
    await synced(service.sync, issued, payment);
    const [link] = await service.db.query('SELECT odoo_payment_id FROM payment_link WHERE payment_id = $1', [payment.data.paymentId]);
    const response = await report(REPORT_PAYMENT, link!.odoo_payment_id as number);
    expect(response.data!.reportOdooPaymentRegistered).toMatchObject({ amount: { value: 25 }, memo: payment.data.paymentId });
    expect(await announced('org.healthgraph.odoo.payment_registered.v1', issued)).toEqual([]);
  });

  it('takes no amount from the caller: the report has only the id to give', async () => {
    const { issued, odooPaymentId } = await paidInOdoo();
    const withAmount = await service.call('mutation($id: Int!) { reportOdooPaymentRegistered(odooPaymentId: $id, amount: 999999) { id } }', { id: odooPaymentId }, callers.odooService);
    expect(codesOf(withAmount)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await announced('org.healthgraph.odoo.payment_registered.v1', issued)).toEqual([]);
  });

  it('is for the Odoo service identity, and answers NOT_FOUND for a record Odoo does not have', async () => {
    const { odooPaymentId } = await paidInOdoo();
    const staff = await service.call(REPORT_PAYMENT, { id: odooPaymentId }, callers.billingSpecialist);
    expect([codesOf(staff), staff.data?.reportOdooPaymentRegistered]).toEqual([['FORBIDDEN'], null]);
    expect(codesOf(await report(REPORT_INVOICE, 2_000_000_000))).toEqual(['NOT_FOUND']);
  });

  describe('the webhook of Odoo automation rules', () => {
    let server: Server;
    let webhook: string;
    beforeAll(async () => {
      const handle = odooFinanceRoutes(service.db, service.client, { token: TOKEN, rereadDelayMs: 0 }, createLogger('webhook-test'))[ODOO_WEBHOOK_PATH]!;
      server = createServer((request, response) => void handle(request, response, 'test-request', contextFrom({})));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ODOO_WEBHOOK_PATH}`;
    });
    afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

    const post = (token: string, body: unknown) =>
      fetch(`${webhook}${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    it('answers 404 to a wrong or missing token, and reads nothing from Odoo', async () => {
      const { odooPaymentId } = await paidInOdoo();
      service.proxy.requests.length = 0;
      const body = { _model: 'account.payment', _id: odooPaymentId };
      expect((await post(`${TOKEN}x`, body)).status).toBe(404);
      expect((await post(TOKEN.slice(0, -1), body)).status).toBe(404);
      expect((await post('', body)).status).toBe(404);
      expect(odooCalls(service.proxy)).toEqual([]);
    });

    it('answers 400 to a malformed body and 405 to another method', async () => {
      expect((await post(TOKEN, '{"_model": "account.payment", ')).status).toBe(400);
      expect((await post(TOKEN, { _model: 'res.partner', _id: 1 })).status).toBe(400);
      expect((await post(TOKEN, { _model: 'account.move', _id: '7' })).status).toBe(400);
      expect((await fetch(`${webhook}${TOKEN}`)).status).toBe(405);
    });

    it('with the right token, reads the record again from Odoo and ignores the values sent with it', async () => {
      const { issued, odooPaymentId } = await paidInOdoo();
      const response = await post(TOKEN, { _model: 'account.payment', _id: odooPaymentId, _action: 'Notify the graph(#3)', amount: 999_999 });
      expect(response.status).toBe(202);
      await vi.waitFor(async () => {
        const payments = await announced('org.healthgraph.odoo.payment_registered.v1', issued);
        expect(payments.map((event) => event.data.amountCents)).toEqual([3_000]);
      });
    });
  });
});
