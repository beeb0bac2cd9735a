import { afterEach, describe, expect, it } from 'vitest';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { startBundledOdoo } from '../../stand-ins/odoo/server.ts';
import { OdooClient } from '../../subgraphs/odoo-finance/odoo/client.ts';
import { odooFinanceSubgraph } from '../../subgraphs/odoo-finance/subgraph.ts';
import { startFaultProxy } from '../odoo/fault-proxy.ts';
import { TEST_LOGIN_COST_MS } from '../odoo/targets.ts';
import { gatewayStandIn } from '../support/gateway-stand-in.ts';
import { uniqueName } from '../support/databases.ts';
import { quickClientOptions } from './harness.ts';

const NO_JSON_2 = 'Odoo 17.0 has no JSON-2 API (it came with Odoo 19): set ODOO_TRANSPORT to json-rpc or auto';

/** odoo-finance with ODOO_TRANSPORT=json-2 in front of an Odoo 17, which has no JSON-2 API. */
describe('odoo-finance whose settings cannot work with its Odoo', () => {
  const closing: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const service of closing.splice(0).reverse()) await service.close();
  });

  async function setUp() {
    const odoo = await startBundledOdoo({ version: 17, loginCostMs: TEST_LOGIN_COST_MS });
    const proxy = await startFaultProxy(odoo.url);
    closing.push(odoo, proxy);
    const client = new OdooClient({ ...odoo, url: proxy.url, transport: 'json-2', ...quickClientOptions });
    const start = async () => {
      const gateway = await gatewayStandIn();
      const subgraph = await startSubgraph(odooFinanceSubgraph(client), { port: 0, database: { schema: uniqueName('odoo_finance') }, gatewayPublicKey: gateway.publicKey });
      closing.push(subgraph);
      return subgraph;
    };
    return { proxy, start };
  }

  const readiness = async (subgraph: RunningSubgraph) => {
    const response = await fetch(`${subgraph.http.url}/ready`);
    return { status: response.status, body: await response.json() };
  };

  it('refuses to start, saying why', async () => {
    const { start } = await setUp();
    await expect(start()).rejects.toThrow(NO_JSON_2);
  });

  it('starts while Odoo is down, and says it is not ready, and why, once Odoo answers', async () => {
    const { proxy, start } = await setUp();
    proxy.setDown(true);
    const subgraph = await start();
    expect(await readiness(subgraph)).toMatchObject({ status: 200, body: { status: 'ready', service: 'odoo-finance', notReady: [] } });
    proxy.setDown(false);
    expect(await readiness(subgraph)).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        service: 'odoo-finance',
        notReady: ['settings'],
        checks: [
          { name: 'database', status: 'up', essential: true },
          { name: 'settings', status: 'down', essential: true, reason: NO_JSON_2 },
        ],
      },
    });
  });
});
