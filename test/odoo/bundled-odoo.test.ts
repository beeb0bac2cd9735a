import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startBundledOdoo } from '../../stand-ins/odoo/server.ts';
import { OdooClient } from '../../subgraphs/odoo-finance/odoo/client.ts';
import { OdooConfigurationError, OdooMissingError, OdooUserError } from '../../subgraphs/odoo-finance/odoo/errors.ts';
import type { TransportName } from '../../subgraphs/odoo-finance/odoo/transport.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { createInvoice, postInvoice, registerPayment } from './invoicing.ts';
import { TEST_LOGIN_COST_MS } from './targets.ts';

/** What the bundled server does differently per version, and the rules the contract suite does not reach. */
describe('bundled Odoo', () => {
  const running: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  async function start(version: 17 | 18 | 19, transport: TransportName | 'auto' = 'json-rpc') {
    const odoo = await startBundledOdoo({ version, loginCostMs: TEST_LOGIN_COST_MS });
    const proxy = await startFaultProxy(odoo.url);
    running.push(odoo, proxy);
    return { odoo, proxy, client: new OdooClient({ ...odoo, url: proxy.url, transport }) };
  }

  it('starts alone with `npm run odoo:bundled` and prints how to connect to it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'stand-ins/odoo/main.ts'], {
      env: { ...process.env, PORT: '0', ODOO_BUNDLED_VERSION: '17', ODOO_BUNDLED_LOGIN_MS: String(TEST_LOGIN_COST_MS), ODOO_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running.push({
      async close() {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      },
    });
    let connectLine = '';
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('ODOO_URL=')) {
        connectLine = line;
        break;
      }
    }
    const settings = Object.fromEntries(connectLine.split(' ').map((pair) => pair.split('=') as [string, string]));
    expect(settings).toEqual({ ODOO_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), ODOO_DB: 'bundled', ODOO_USER: 'admin', ODOO_API_KEY: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const client = new OdooClient({ url: settings.ODOO_URL!, db: settings.ODOO_DB!, login: settings.ODOO_USER!, apiKey: settings.ODOO_API_KEY! });
    expect(await client.version()).toEqual({ serverVersion: '17.0', major: 17 });
    expect(await client.searchRead('res.users', [['login', '=', 'admin']], { fields: ['name'] })).toEqual([{ id: 2, name: 'Mitchell Admin' }]);
  });

  async function paidInvoice(client: OdooClient) {
    const partner = await client.create('res.partner', { name: 'Ada Lovelace' });
    const invoice = await createInvoice(client, partner);
    await postInvoice(client, invoice);
    await registerPayment(client, invoice);
    return invoice;
  }

  it.each([
    [17, '/jsonrpc'],
    [18, '/jsonrpc'],
    [19, '/json/2/res.partner/search_read'],
  ] as const)('%i: "auto" picks the transport from version_info (%s)', async (version, path) => {
    const { client, proxy } = await start(version, 'auto');
    await client.searchRead('res.partner', []);
    expect(proxy.requests.map((request) => request.path)).toEqual(['/web/webclient/version_info', ...(version < 19 ? ['/jsonrpc'] : []), path]);
  });

  it.each([17, 18] as const)('%i: has no JSON-2 API, so a client forced onto it refuses to start calling', async (version) => {
    const { client, proxy } = await start(version, 'json-2');
    await expect(client.verify()).rejects.toBeInstanceOf(OdooConfigurationError);
    await expect(client.searchRead('res.partner', [])).rejects.toBeInstanceOf(OdooConfigurationError);
    expect(proxy.requests.map((request) => request.path)).toEqual(['/web/webclient/version_info']);
  });

  it('takes as long to check a key as it is told: on every login, and on the first call with the key', async () => {
    const odoo = await startBundledOdoo({ version: 17, loginCostMs: 300 });
    running.push(odoo);
    const client = new OdooClient({ ...odoo, transport: 'json-rpc' });
    const took = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    // The first call logs in (authenticate), then execute_kw checks the key once more.
    expect(await took(() => client.searchRead('res.partner', [], { limit: 1 }))).toBeGreaterThanOrEqual(2 * 300 - 10);
    // Another client logs in again.
    const later = new OdooClient({ ...odoo, transport: 'json-rpc' });
    expect(await took(() => later.searchRead('res.partner', [], { limit: 1 }))).toBeGreaterThanOrEqual(300 - 10);
  });

  it('17: account.payment inherits its journal entry, and a settled invoice is paid', async () => {
    const { client } = await start(17);
    const invoice = await paidInvoice(client);
    const [payment] = await client.searchRead('account.payment', [['move_type', '=', 'entry']], { fields: ['state', 'ref', 'move_id'] });
    const [invoiceRecord] = await client.read('account.move', [invoice], ['name']);
    expect(payment).toMatchObject({ state: 'posted', ref: invoiceRecord?.name, move_id: [expect.any(Number), expect.any(String)] });
    expect(await client.read('account.move', [invoice], ['payment_state'])).toEqual([{ id: invoice, payment_state: 'paid' }]);
  });

  it.each([18, 19] as const)('%i: account.payment is its own model (memo, in_process), and a settled invoice is in_payment', async (version) => {
    const { client } = await start(version);
    const invoice = await paidInvoice(client);
    const [payment] = await client.searchRead('account.payment', [], { fields: ['state', 'memo', 'reconciled_invoice_ids'] });
    expect(payment).toMatchObject({ state: 'in_process', reconciled_invoice_ids: [invoice] });
    await expect(client.searchRead('account.payment', [], { fields: ['ref'] })).rejects.toMatchObject({ odooName: 'builtins.ValueError' });
    expect(await client.read('account.move', [invoice], ['payment_state'])).toEqual([{ id: invoice, payment_state: 'in_payment' }]);
  });

  it.each(['json-rpc', 'json-2'] as const)('creates from one dict or from a list over %s', async (transport) => {
    const { client } = await start(19, transport);
    expect(await client.create('res.partner', { name: 'One' })).toEqual(expect.any(Number));
    expect(await client.create('res.partner', [{ name: 'Two' }, { name: 'Three' }])).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it('filters with domains in prefix notation, archived records left out unless asked for', async () => {
    const { client } = await start(17);
    await client.create('res.partner', [
      { name: 'Ada Lovelace', ref: 'A1', customer_rank: 3, email: 'ada@domain.test' },
      { name: 'Grace Hopper', ref: 'G1', customer_rank: 1, email: 'grace@domain.test' },
      { name: 'Alan Turing', customer_rank: 0, email: 'alan@domain.test' },
      { name: 'Archived', active: false, email: 'archived@domain.test' },
    ]);
    // The seeded partners (the company, OdooBot, the administrator) have no such email.
    const names = async (domain: Parameters<OdooClient['searchRead']>[1]) =>
      (await client.searchRead('res.partner', [['email', '=like', '%@domain.test'], ...domain], { fields: ['name'], order: 'name' })).map((partner) => partner.name);
    expect(await names([['name', 'ilike', 'LOVE']])).toEqual(['Ada Lovelace']);
    expect(await names([['name', 'not ilike', 'a%a']])).toEqual(['Grace Hopper']);
    expect(await names(['|', ['ref', '=', 'G1'], ['customer_rank', '>=', 3]])).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(await names(['&', ['customer_rank', '>', 0], ['customer_rank', '<', 3]])).toEqual(['Grace Hopper']);
    expect(await names([['ref', '=', false]])).toEqual(['Alan Turing']);
    expect(await names([['ref', 'in', ['A1', 'G1']], '!', ['customer_rank', '<=', 1]])).toEqual(['Ada Lovelace']);
    expect(await names([['ref', 'not in', ['A1']], ['ref', '!=', false]])).toEqual(['Grace Hopper']);
    await expect(names([['blood_type', '=', 'O']])).rejects.toMatchObject({ odooName: 'builtins.ValueError' });
    expect(await names([['active', '=', false]])).toEqual(['Archived']);
    expect(await names([['active', 'in', [true, false]], ['ref', '=', false]])).toEqual(['Alan Turing', 'Archived']);
  });

  it('follows the invoice states: numbered once, lines kept once posted, draft un-reconciles, cancel', async () => {
    const { client } = await start(18);
    const orphan = await createInvoice(client, false);
    await expect(postInvoice(client, orphan)).rejects.toThrow("The field 'Customer' is required");

    const invoice = await paidInvoice(client);
    const read = async () => (await client.read('account.move', [invoice], ['name', 'state', 'amount_residual', 'payment_state']))[0];
    const numbered = await read();
    await expect(postInvoice(client, invoice)).rejects.toThrow(`The entry ${String(numbered?.name)} (id ${invoice}) must be in draft.`);
    await expect(client.write('account.move', [invoice], { invoice_line_ids: [[5, 0, 0]] })).rejects.toThrow("You can't delete a posted journal item.");

    await client.call('account.move', 'button_draft', { ids: [invoice] });
    await client.write('account.move', [invoice], { invoice_line_ids: [[0, 0, { product_id: 1, quantity: 1 }]] });
    expect(await read()).toMatchObject({ state: 'draft', amount_residual: 270, payment_state: 'not_paid' });
    await postInvoice(client, invoice);
    expect((await read())?.name).toBe(numbered?.name);

    await client.call('account.move', 'button_cancel', { ids: [invoice] });
    expect(await read()).toMatchObject({ state: 'cancel' });
    await expect(client.call('account.move', 'button_cancel', { ids: [invoice] })).rejects.toBeInstanceOf(OdooUserError);
    await expect(client.call('account.move', 'action_post', { ids: [999] })).rejects.toBeInstanceOf(OdooMissingError);
  });

  it('refuses the payment wizard on a draft invoice', async () => {
    const { client } = await start(19, 'json-2');
    const partner = await client.create('res.partner', { name: 'Ada Lovelace' });
    const draft = await createInvoice(client, partner);
    await expect(registerPayment(client, draft)).rejects.toThrow('You can only register payment for posted journal entries.');
  });
});
