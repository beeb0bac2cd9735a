import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBundledOdoo, type BundledOdoo } from '../../stand-ins/odoo/server.ts';
import { OdooClient, type OdooClientOptions } from '../../subgraphs/odoo-finance/odoo/client.ts';
import type { OdooConnection } from '../../subgraphs/odoo-finance/odoo/transport.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { Normalizer, readFixtures, replayOdoo, type Fixture, type Literals } from './recording.ts';
import { scenarios, type Scenario, type ScenarioContext } from './scenarios.ts';
import { TEST_LOGIN_COST_MS } from './targets.ts';

/** What a real Odoo 17 answered the contract's calls (test/odoo/fixtures/odoo17, see its README). */
const fixtures = readFixtures(17);
const today = new Date().toISOString().slice(0, 10);

function scenarioOf(fixture: Fixture): Scenario {
  const scenario = scenarios.find((candidate) => candidate.name === fixture.scenario);
  if (!scenario) throw new Error(`no scenario ${fixture.scenario} for the recording: remove the fixture or restore the scenario`);
  return scenario;
}

/** The connector as the subgraph makes it, on `connection`; no retries, so a mismatch shows as one. */
function contextFor(connection: OdooConnection, requests: ScenarioContext['requests'], run: string): ScenarioContext {
  const clientWith = (options: Partial<OdooClientOptions> = {}) => new OdooClient({ ...connection, transport: 'auto', retries: { attempts: 0 }, ...options });
  return { client: clientWith(), clientWith, connection, requests, run, today, version: 17, transport: 'json-rpc' };
}

describe('the recorded real Odoo 17', () => {
  it('has a recording of every scenario that applies to 17', () => {
    const applicable = scenarios.filter((scenario) => !scenario.versions || scenario.versions(17)).map((scenario) => scenario.name);
    expect(fixtures.map((fixture) => fixture.scenario).sort()).toEqual(applicable.sort());
    for (const fixture of fixtures) expect(fixture.odoo).toBe('17.0');
  });
});

describe.each(fixtures.map((fixture) => ({ name: fixture.scenario, fixture })))('replaying real Odoo 17 to the connector: $name', ({ fixture }) => {
  it(`${scenarioOf(fixture).title} (as the real Odoo answered)`, async () => {
    const literals: Literals = { apiKey: 'replayed-key', db: 'replayed', login: 'admin', run: randomUUID().slice(0, 8) };
    const odoo = await replayOdoo(fixture, literals);
    try {
      const connection = { url: odoo.url, db: literals.db, login: literals.login, apiKey: literals.apiKey };
      await scenarioOf(fixture).run(contextFor(connection, odoo.requests, literals.run));
      expect(odoo.mismatches).toEqual([]);
      expect(odoo.remaining()).toBe(0);
    } finally {
      await odoo.close();
    }
  });
});

describe.each(fixtures.map((fixture) => ({ name: fixture.scenario, fixture })))('the bundled Odoo 17 answers as the real one did: $name', ({ fixture }) => {
  let bundled: BundledOdoo;
  let proxy: FaultProxy;
  beforeAll(async () => {
    bundled = await startBundledOdoo({ version: 17, loginCostMs: TEST_LOGIN_COST_MS });
    proxy = await startFaultProxy(bundled.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await bundled?.close();
  });

  it('the same calls, the same answers (ids, dates, numbers and keys normalized)', async () => {
    const run = randomUUID().slice(0, 8);
    // The exchanges are compared first: where the bundled server parts from Odoo says more than the assertion it breaks.
    const failure = await scenarioOf(fixture).run(contextFor({ ...bundled, url: proxy.url }, proxy.requests, run)).catch((error: unknown) => error);
    const normalizer = new Normalizer({ ...bundled, run }, today);
    expect(proxy.requests.map((request) => normalizer.exchange(request))).toEqual(fixture.exchanges);
    if (failure) throw failure;
  });
});
