import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OdooClient, type OdooClientOptions } from '../../subgraphs/odoo-finance/odoo/client.ts';
import {
  OdooAccessError,
  OdooMissingError,
  OdooTransientError,
  OdooUnavailableError,
  OdooUserError,
} from '../../subgraphs/odoo-finance/odoo/errors.ts';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from './fault-proxy.ts';
import { createInvoice, INVOICE_UNTAXED, postInvoice, registerPayment } from './invoicing.ts';
import { bundledTargets, realOdoo, realTargets, type OdooTarget, type RunningOdoo } from './targets.ts';

/** The model call a proxied request carries, whichever transport sent it. */
function objectCall({ path, body }: ProxiedRequest): { model: string; method: string; ids: unknown } | undefined {
  const json = JSON.parse(body) as { ids?: unknown; params?: { method?: string; args?: unknown[] } };
  const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (json2) return { model: String(json2[1]), method: String(json2[2]), ids: json.ids };
  const args = json.params;
  if (args?.method !== 'execute_kw' || !args.args) return undefined;
  const [, , , model, method, positional] = args.args;
  return { model: String(model), method: String(method), ids: (positional as unknown[])[0] };
}

/** 'in_payment' where the version (or an accounting app) waits for bank matching. */
const SETTLED = ['paid', 'in_payment'];

function contract(target: OdooTarget) {
  const run = randomUUID().slice(0, 8);
  let odoo: RunningOdoo;
  let proxy: FaultProxy;
  let client: OdooClient;

  const clientFor = (options: Partial<OdooClientOptions> = {}) =>
    new OdooClient({
      ...odoo.connection,
      url: proxy.url,
      transport: target.transport,
      retries: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
      ...options,
    });
  /** Connects (version, login) so later request counts hold only the call under test. */
  const connected = async (options: Partial<OdooClientOptions> = {}) => {
    const connectedClient = clientFor(options);
    await connectedClient.searchRead('res.partner', [], { fields: ['name'], limit: 1 });
    proxy.requests.length = 0;
    return connectedClient;
  };
  const setDown = (down: boolean) => (odoo.setDown ?? proxy.setDown)(down);

  const createPartner = async (label: string) => {
    const ref = `HG-${run}-${label}`;
    const id = await client.create('res.partner', { name: `Contract ${label}`, ref, email: `${label}@example.org`, customer_rank: 1 });
    return { id, ref };
  };

  beforeAll(async () => {
    odoo = await target.start();
    proxy = await startFaultProxy(odoo.connection.url);
    client = clientFor();
  });
  beforeEach(() => {
    proxy.requests.length = 0;
  });
  afterAll(async () => {
    await proxy?.close();
    await odoo?.close();
  });

  it('creates a partner and finds it by ref', async () => {
    const { id, ref } = await createPartner('partner');
    const found = await client.searchRead('res.partner', [['ref', '=', ref]], { fields: ['name', 'ref', 'customer_rank'] });
    expect(found).toEqual([{ id, name: 'Contract partner', ref, customer_rank: 1 }]);
  });

  it('creates an invoice with lines, posts it, and reads its number, state and amounts', async () => {
    const partner = await createPartner('invoice');
    const invoiceId = await createInvoice(client, partner.id);
    await postInvoice(client, invoiceId);
    const [invoice] = await client.read('account.move', [invoiceId], [
      'name', 'state', 'payment_state', 'partner_id', 'currency_id', 'invoice_line_ids',
      'amount_untaxed', 'amount_total', 'amount_residual',
    ]);
    expect(invoice?.name).toMatch(/^[A-Z0-9]+\/\d{4}\/\d+$/);
    expect(invoice).toMatchObject({ state: 'posted', payment_state: 'not_paid', partner_id: [partner.id, expect.any(String)] });
    expect(invoice?.currency_id).toEqual([expect.any(Number), expect.any(String)]);
    expect(invoice?.invoice_line_ids).toHaveLength(2);
    expect(invoice?.amount_untaxed).toBe(INVOICE_UNTAXED);
    expect(invoice?.amount_total).toBeGreaterThanOrEqual(INVOICE_UNTAXED);
    expect(invoice?.amount_residual).toBe(invoice?.amount_total);
  });

  it('registers a partial then a full payment through the wizard, down to a zero residual', async () => {
    const partner = await createPartner('payer');
    const invoiceId = await createInvoice(client, partner.id);
    await postInvoice(client, invoiceId);
    const fields = ['amount_total', 'amount_residual', 'payment_state'];
    const [posted] = await client.read('account.move', [invoiceId], fields);
    const total = Number(posted?.amount_total);

    await registerPayment(client, invoiceId, { amount: 40 });
    const [partial] = await client.read('account.move', [invoiceId], fields);
    expect(partial).toMatchObject({ amount_residual: total - 40, payment_state: 'partial' });

    await registerPayment(client, invoiceId); // the wizard proposes what is left
    const [settled] = await client.read('account.move', [invoiceId], fields);
    expect(settled?.amount_residual).toBe(0);
    expect(SETTLED).toContain(settled?.payment_state);

    const payments = await client.searchRead('account.payment', [['partner_id', '=', partner.id]], { fields: ['amount'], order: 'id' });
    expect(payments.map((payment) => payment.amount)).toEqual([40, total - 40]);
  });

  it('refuses to post an invoice without lines with OdooUserError, once, without the traceback', async () => {
    const partner = await createPartner('empty');
    const invoiceId = await createInvoice(client, partner.id, []);
    proxy.requests.length = 0;
    const failure = await postInvoice(client, invoiceId).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OdooUserError);
    expect((failure as Error).message).not.toMatch(/Traceback|File "/);
    expect(proxy.requests).toHaveLength(1); // business errors are never retried
  });

  it('answers OdooMissingError for an id that does not exist', async () => {
    await expect(client.read('res.partner', [2_000_000_000], ['name'])).rejects.toBeInstanceOf(OdooMissingError);
  });

  it('answers OdooAccessError for a wrong API key', async () => {
    const stranger = clientFor({ apiKey: 'not-the-api-key' });
    await expect(stranger.searchRead('res.partner', [], { limit: 1 })).rejects.toBeInstanceOf(OdooAccessError);
  });

  it('retries a transient 503 and then succeeds', async () => {
    const patient = await connected();
    proxy.failNext(1, 503);
    await expect(patient.searchRead('res.partner', [], { fields: ['name'], limit: 1 })).resolves.toHaveLength(1);
    expect(proxy.requests).toHaveLength(2);
  });

  it('opens the circuit after the threshold while Odoo is down, and closes it when Odoo is back', async () => {
    const guarded = await connected({ retries: { attempts: 0 }, breaker: { threshold: 2, coolDownMs: 200 } });
    const call = () => guarded.searchRead('res.partner', [], { fields: ['name'], limit: 1 });
    setDown(true);
    try {
      await expect(call()).rejects.toBeInstanceOf(OdooTransientError);
      await expect(call()).rejects.toBeInstanceOf(OdooTransientError);
      expect(guarded.circuitState).toBe('open');
      proxy.requests.length = 0;
      await expect(call()).rejects.toBeInstanceOf(OdooUnavailableError);
      expect(proxy.requests).toHaveLength(0); // failed fast, Odoo was not asked
    } finally {
      setDown(false);
    }
    await sleep(250);
    await expect(call()).resolves.toHaveLength(1);
    expect(guarded.circuitState).toBe('closed');
  });

  it('turns a timeout into OdooTransientError', async () => {
    const impatient = await connected({ timeoutMs: 150, retries: { attempts: 0 } });
    proxy.delayNext(1_000);
    const failure = await impatient.searchRead('res.partner', [], { limit: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OdooTransientError);
    expect(failure).toMatchObject({ message: 'Odoo did not answer within 150 ms', outcomeUnknown: true });
  });

  it('reads the ids loaded in one tick with one request, and fails only the missing one', async () => {
    const partners = await Promise.all(['batch-a', 'batch-b', 'batch-c'].map(createPartner));
    const ids = partners.map((partner) => partner.id);
    proxy.requests.length = 0;
    const reader = client.reader('res.partner', ['ref']);
    const [found, missing] = await Promise.all([
      Promise.all(ids.map((id) => reader.load(id))),
      reader.load(2_000_000_000).catch((error: unknown) => error),
    ]);
    expect(found.map((partner) => partner.ref)).toEqual(partners.map((partner) => partner.ref));
    expect(missing).toBeInstanceOf(OdooMissingError);
    expect(proxy.requests.map(objectCall)).toEqual([{ model: 'res.partner', method: 'read', ids: [...ids, 2_000_000_000] }]);
  });
}

describe.each(bundledTargets)('Odoo contract: $label', contract);
describe.skipIf(!realOdoo).each(realTargets)('Odoo contract: $label', contract);
