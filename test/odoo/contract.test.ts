import { setting } from '../../platform/config.ts';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OdooClient, type OdooClientOptions } from '../../subgraphs/odoo-finance/odoo/client.ts';
import { OdooTransientError, OdooUnavailableError } from '../../subgraphs/odoo-finance/odoo/errors.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { Normalizer, writeFixture } from './recording.ts';
import { scenarios, type ScenarioContext } from './scenarios.ts';
import { bundledTargets, realOdoo, realTargets, type OdooTarget, type RunningOdoo } from './targets.ts';

/** ODOO_RECORD=1 with ODOO_CONTRACT=1: the real Odoo's answers (over 'auto') become test/odoo/fixtures/odoo<major>/. */
const recording = setting('ODOO_RECORD');

function contract(target: OdooTarget) {
  const run = randomUUID().slice(0, 8);
  const today = new Date().toISOString().slice(0, 10);
  let odoo: RunningOdoo;
  let proxy: FaultProxy;
  let version: { serverVersion: string; major: number };

  const clientFor = (options: Partial<OdooClientOptions> = {}) =>
    new OdooClient({ ...odoo.connection, url: proxy.url, transport: target.transport, retries: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, ...options });
  /** Connects (version, login) so later request counts hold only the call under test. */
  const connected = async (options: Partial<OdooClientOptions> = {}) => {
    const connectedClient = clientFor(options);
    await connectedClient.searchRead('res.partner', [], { fields: ['name'], limit: 1 });
    proxy.requests.length = 0;
    return connectedClient;
  };
  const setDown = (down: boolean) => (odoo.setDown ?? proxy.setDown)(down);

  beforeAll(async () => {
    odoo = await target.start();
    proxy = await startFaultProxy(odoo.connection.url);
    version = await clientFor().version();
  });
  beforeEach(() => {
    proxy.requests.length = 0;
  });
  afterAll(async () => {
    await proxy?.close();
    await odoo?.close();
  });

  for (const scenario of scenarios.filter((candidate) => !target.version || !candidate.versions || candidate.versions(target.version))) {
    it(scenario.title, async (test) => {
      if (scenario.versions && !scenario.versions(version.major)) test.skip();
      const context: ScenarioContext = {
        client: clientFor(),
        clientWith: clientFor,
        connection: { ...odoo.connection, url: proxy.url },
        requests: proxy.requests,
        run,
        today,
        version: version.major,
        transport: target.transport === 'auto' ? (version.major >= 19 ? 'json-2' : 'json-rpc') : target.transport,
      };
      await scenario.run(context);
      if (recording && !target.version && target.transport === 'auto') {
        const normalizer = new Normalizer({ ...odoo.connection, run }, today);
        const exchanges = proxy.requests.map((request) => normalizer.exchange(request));
        writeFixture(version.major, { odoo: version.serverVersion, scenario: scenario.name, recordedOn: today, exchanges });
      }
    });
  }

  it('retries a transient 503 and then succeeds', async () => {
    const patient = await connected();
    proxy.failNext(1, 503);
    await expect(patient.searchRead('res.partner', [], { fields: ['name'], limit: 1 })).resolves.toHaveLength(1);
    expect(proxy.requests).toHaveLength(2);
  });

  it('opens the circuit after the threshold while Odoo is down, probes it once per cool-down, and closes it when Odoo is back', async () => {
    const coolDownMs = 200;
    const guarded = await connected({ retries: { attempts: 0 }, breaker: { threshold: 2, coolDownMs } });
    const call = () => guarded.searchRead('res.partner', [], { fields: ['name'], limit: 1 });
    setDown(true);
    try {
      await expect(call()).rejects.toBeInstanceOf(OdooTransientError);
      await expect(call()).rejects.toBeInstanceOf(OdooTransientError);
      expect(guarded.circuitState).toBe('open');
      proxy.requests.length = 0;
      await expect(call()).rejects.toBeInstanceOf(OdooUnavailableError);
      await expect(call()).rejects.toThrow('Odoo is unavailable; next attempt in 1 s');
      expect(proxy.requests).toHaveLength(0); // failed fast, Odoo was not asked

      // The cool-down over, one probe reaches Odoo; it fails, so the circuit opens again for another cool-down.
      await sleep(coolDownMs);
      await expect(call()).rejects.toBeInstanceOf(OdooTransientError);
      expect(proxy.requests).toHaveLength(1);
      expect(guarded.circuitState).toBe('open');
      await expect(call()).rejects.toBeInstanceOf(OdooUnavailableError);
      expect(proxy.requests).toHaveLength(1);
    } finally {
      setDown(false);
    }

    // Odoo back: the next probe goes through; calls that come while it is under way still fail fast.
    await sleep(coolDownMs);
    proxy.requests.length = 0;
    proxy.delayNext(300);
    const probe = call();
    await vi.waitFor(() => expect(guarded.circuitState).toBe('half-open'));
    await expect(call()).rejects.toThrow('Odoo is unavailable; next attempt in 0 s');
    await expect(probe).resolves.toHaveLength(1);
    expect(proxy.requests).toHaveLength(1);
    expect(guarded.circuitState).toBe('closed');
    await expect(call()).resolves.toHaveLength(1);
  });

  it('lets a call through an open circuit as its probe when asked to try now, before the cool-down ends', async () => {
    const guarded = await connected({ retries: { attempts: 0 }, breaker: { threshold: 1, coolDownMs: 60_000 } });
    const call = () => guarded.searchRead('res.partner', [], { fields: ['name'], limit: 1 });
    setDown(true);
    try {
      await expect(call()).rejects.toBeInstanceOf(OdooTransientError);
    } finally {
      setDown(false);
    }
    await expect(call()).rejects.toThrow('Odoo is unavailable; next attempt in 60 s');
    guarded.probeNow();
    await expect(call()).resolves.toHaveLength(1);
    expect(guarded.circuitState).toBe('closed');
  });

  it('turns a timeout into OdooTransientError', async () => {
    // The budget has to let the login through: a real Odoo's takes a second or two (it hashes).
    const started = performance.now();
    await connected();
    const budgetMs = Math.max(150, Math.ceil(3 * (performance.now() - started)));
    const impatient = await connected({ timeoutMs: budgetMs, retries: { attempts: 0 } });
    proxy.delayNext(budgetMs + 1_000);
    const failure = await impatient.searchRead('res.partner', [], { limit: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OdooTransientError);
    expect(failure).toMatchObject({ message: `Odoo did not answer within ${budgetMs} ms`, outcomeUnknown: true });
  });
}

describe.each(bundledTargets)('Odoo contract: $label', contract);
describe.skipIf(!realOdoo).each(realTargets)('Odoo contract: $label', contract);
