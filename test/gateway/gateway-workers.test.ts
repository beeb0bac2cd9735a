// GATEWAY_WORKERS: gateway/main.ts as the primary of two gateway workers behind one port, on Redis.
// Subscribers whose connections land on different workers each get every event once, in log order;
// /metrics answers for both workers; SIGTERM to the primary stops every worker. Without Redis, several workers are refused at start.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { settingNameOf } from '../../platform/config.ts';
import { domainEvent } from '../../platform/events/envelope.ts';
import { openTestEventLog, redisUrl, withAdmin, type TestEventLog } from '../events/event-logs.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { waitFor } from '../subscriptions/event-client.ts';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);
const SELECTION = 'subscription ($after: ID) { appointmentEvents(after: $after) { id type appointment { id } } }';
const EVENTS = 12;
const SUBSCRIBERS = 6;

interface PooledGateway {
  primary: ChildProcess;
  url: string;
  /** The workers' process ids, as the primary logs them. */
  workerPids: number[];
}

/** gateway/main.ts with `env`, once its primary logs that every worker serves. */
async function startPool(env: Record<string, string>): Promise<PooledGateway> {
  const primary = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let workerPids: number[] = [];
  const exited = once(primary, 'exit').then(([code]) => Promise.reject(new Error(`gateway/main.ts exited with ${code}`)));
  const ready = new Promise<string>((resolve) => {
    void (async () => {
      for await (const line of createInterface({ input: primary.stdout! })) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; url?: string; pids?: number[] };
        if (entry.msg !== 'gateway workers ready') continue;
        workerPids = entry.pids!;
        resolve(entry.url!);
      }
    })();
  });
  const url = (await Promise.race([ready, exited])).replace(/^http/, 'ws');
  return { primary, url, workerPids };
}

/** A graphql-ws client that notes which worker took its connection (the upgrade's x-gateway-worker). */
function subscriber(url: string, authorization: string) {
  let worker: string | undefined;
  let closedWith: number | undefined;
  class NotingWorker extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.on('upgrade', (response) => (worker = String(response.headers['x-gateway-worker'])));
    }
  }
  const client: Client = createClient({
    url,
    webSocketImpl: NotingWorker,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: false,
    // The 1012 at the end is asserted below, not logged.
    onNonLazyError: () => undefined,
    on: { closed: (event) => (closedWith = (event as { code: number }).code) },
  });
  const ids: string[] = [];
  return {
    client,
    ids,
    worker: () => worker,
    closedWith: () => closedWith,
    subscribe(after: string) {
      client.subscribe<{ appointmentEvents: { id: string } }>({ query: SELECTION, variables: { after } }, {
        next: ({ data }) => void ids.push(data!.appointmentEvents.id),
        error: () => undefined,
        complete: () => undefined,
      });
    },
  };
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('gateway workers (GATEWAY_WORKERS=2 on Redis)', () => {
  const prefix = uniqueName('workers');
  let system: RunningSystem;
  let events: TestEventLog;
  let pool: PooledGateway;
  let appointments: Array<{ id: string; patientId: string }>;

  beforeAll(async () => {
    // The subgraphs, on seeded demo data: the workers read each event's appointment through them.
    system = await startSystem({ gatewayPort: 0, seedDemoData: true });
    appointments = await system.subgraphs.appointments.database.query<{ id: string; patientId: string }>('SELECT id, patient_id AS "patientId" FROM appointment ORDER BY id LIMIT 20');
    events = await openTestEventLog(redisUrl);
    pool = await startPool({
      GATEWAY_WORKERS: '2',
      RUN_MODE: 'embedded',
      REDIS_URL: redisUrl,
      EVENT_LOG_KEY_PREFIX: events.keyPrefix,
      COST_BUCKET_KEY_PREFIX: `${prefix}:cost:`,
      DATABASE_URL: postgresUrl,
      AUDIT_SCHEMA: `${prefix}_audit`,
      WEBHOOKS_SCHEMA: `${prefix}_webhooks`,
      ...Object.fromEntries(Object.values(system.subgraphs).map(({ name, url }) => [`SUBGRAPH_${settingNameOf(name)}_URL`, url])),
    });
  }, 240_000);

  afterAll(async () => {
    if (pool?.primary.exitCode === null) pool.primary.kill('SIGKILL');
    await system?.close();
    await events?.dispose();
    await dropSchemas(postgresUrl, `${prefix}_audit`, `${prefix}_webhooks`);
    await withAdmin(redisUrl, async (admin) => {
      for await (const keys of admin.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length > 0) await admin.del(keys);
    });
  });

  it('delivers every event once and in order to subscribers on either worker; SIGTERM stops every worker', async () => {
    expect(pool.workerPids).toHaveLength(2);
    const issuer = await openEmbeddedIssuer();
    const after = await events.log.lastId();
    const subscribers = await Promise.all(
      Array.from({ length: SUBSCRIBERS }, async (_, n) => subscriber(pool.url, `Bearer ${await issuer.issueToken({ role: 'front_desk', subject: `desk-${n}` })}`)),
    );
    for (const each of subscribers) each.subscribe(after);
    await waitFor('every connection taken by a worker', () => subscribers.every((each) => each.worker() !== undefined));
    expect(new Set(subscribers.map((each) => each.worker()))).toEqual(new Set(['1', '2']));

    const appended: string[] = [];
    for (let k = 0; k < EVENTS; k++) {
      const { id, patientId } = appointments[k % appointments.length]!;
      appended.push(await events.log.append(domainEvent('org.healthgraph.appointment.confirmed.v1', { appointmentId: id, patientId }, k + 1)));
    }
    await waitFor('every event at every subscriber', () => subscribers.every((each) => each.ids.length >= EVENTS), 60_000);
    for (const each of subscribers) expect(each.ids).toEqual(appended);

    // A scrape lands on one worker and answers for both: every subscription of either is counted.
    for (let scrape = 0; scrape < 2; scrape++) {
      const metrics = await (await fetch(new URL('/metrics', pool.url.replace(/^ws/, 'http')))).text();
      expect(metrics).toMatch(new RegExp(`^healthgraph_subscriptions_open ${SUBSCRIBERS}$`, 'm'));
    }

    pool.primary.kill('SIGTERM');
    const [code] = await once(pool.primary, 'exit');
    expect(code).toBe(0);
    expect(pool.workerPids.filter(isRunning)).toEqual([]);
    // Told to come back (1012, Service Restart), not dropped.
    await waitFor('every connection closed', () => subscribers.every((each) => each.closedWith() !== undefined));
    expect(subscribers.map((each) => each.closedWith())).toEqual(subscribers.map(() => 1012));
    for (const each of subscribers) await each.client.dispose();
  }, 120_000);

  it('refuses several workers without Redis, naming the setting', async () => {
    const start = run(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, GATEWAY_WORKERS: '2', RUN_MODE: 'embedded', PORT: '0' },
    });
    await expect(start).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('GATEWAY_WORKERS=2 needs REDIS_URL') });
  });
});
