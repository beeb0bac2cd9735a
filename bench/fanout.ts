// `npm run bench:fanout`: subscription fan-out. Three processes on loopback: the subgraphs on seeded
// demo data, a gateway serving subscriptions whose hub reads a Redis event log, and the subscribers
// (graphql-ws clients). This runner publishes appointment events at a fixed rate and reports
// publish-to-deliver latency, the gateway's CPU and peak RSS, and events lost. It stops by itself.
//
// FANOUT_SUBSCRIBERS (1000,5000), FANOUT_RATE (events/s, 20), FANOUT_SECONDS (15),
// FANOUT_REDIS_URL (redis://127.0.0.1:6379), FANOUT_AUDIT_DATABASE_URL (the local PostgreSQL; pglite:
// PGlite inside the gateway process, which then pays for the audit trail's database too),
// FANOUT_CPU_PROF_DIR (when set, each gateway worker writes a profile of the measured window there, and the
// subscribers run with --cpu-prof),
// FANOUT_WORKERS (gateway workers per size, 1,2: one for the first size, two for the next; the
// machine's cores by default). The subscribers and the subgraphs run on the same cores.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { createClient } from 'redis';
import { openEmbeddedIssuer, type TokenRequest } from '../gateway/authentication/embedded-issuer.ts';
import { setting } from '../platform/config.ts';
import { domainEvent } from '../platform/events/envelope.ts';
import type { EventLog } from '../platform/events/event-log.ts';
import { openEventLog } from '../platform/events/open.ts';
import { dropSchemas, postgresUrl } from '../test/support/databases.ts';
import type { GatewayReady, GatewayUsage, StackReady, SubscriberPlan, SubscribersReady, SubscribersReport, SubscribersRequest } from './fanout/messages.ts';
import { cpuMs } from './process/proc-stats.ts';
import { firstMessage, spawnNode, type Spawned } from './process/spawn.ts';

const sizes = setting('FANOUT_SUBSCRIBERS').map(Number);
const rate = setting('FANOUT_RATE');
const seconds = setting('FANOUT_SECONDS');
const redisUrl = setting('FANOUT_REDIS_URL');
const auditDatabase = setting('FANOUT_AUDIT_DATABASE_URL') ?? postgresUrl;
const auditDatabaseUrl = auditDatabase === 'pglite' ? '' : auditDatabase;
const cpuProfileDir = setting('FANOUT_CPU_PROF_DIR');
const profiled = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
const workerCounts = setting('FANOUT_WORKERS')?.split(',').map(Number) ?? [availableParallelism()];
const workersFor = (run: number) => workerCounts[Math.min(run, workerCounts.length - 1)]!;

/** A handful of identities, as real traffic has: many sessions each, with their own subjects but shared rights. */
const mix: Array<{ identity: string; share: number; token: TokenRequest; payer?: string }> = [
  { identity: 'front desk', share: 0.4, token: { role: 'front_desk' } },
  { identity: 'clinician', share: 0.3, token: { role: 'clinician' } },
  { identity: 'billing specialist', share: 0.1, token: { role: 'billing_specialist' } },
  { identity: 'payer pay-01', share: 0.1, token: { role: 'payer_partner', organization: 'pay-01' }, payer: 'pay-01' },
  { identity: 'payer pay-02', share: 0.1, token: { role: 'payer_partner', organization: 'pay-02' }, payer: 'pay-02' },
];
const SUBJECTS_PER_IDENTITY = 20;
const EVENT_TYPES = ['org.healthgraph.appointment.booked.v1', 'org.healthgraph.appointment.confirmed.v1', 'org.healthgraph.appointment.checked_in.v1'] as const;
const DRAIN_MS = 180_000;
const STALL_MS = 15_000;
const WARM_UP_EVENTS = 20;

// Bounded whatever happens: the children end with this process.
const limitMs = 300_000 + sizes.length * (300_000 + seconds * 1000 + DRAIN_MS);
setTimeout(() => {
  console.error(`fan-out benchmark: over its ${limitMs / 1000} s limit, stopping`);
  process.exit(1);
}, limitMs).unref();

const ask = <T>(spawned: Spawned, message: SubscriberPlan | SubscribersRequest | 'stop', timeoutMs?: number): Promise<T> => {
  const answer = firstMessage<T>(spawned, timeoutMs);
  spawned.child.send(message);
  return answer;
};

async function subscribersFor(count: number): Promise<SubscriberPlan['subscribers']> {
  const issuer = await openEmbeddedIssuer();
  const tokens = await Promise.all(
    mix.map(({ identity, token }) =>
      Promise.all(Array.from({ length: SUBJECTS_PER_IDENTITY }, (_, n) => issuer.issueToken({ ...token, subject: `${identity}-${n}`, ttlSeconds: 3600 }))),
    ),
  );
  let boundary = 0;
  const bounds = mix.map(({ share }) => (boundary += share * count));
  return Array.from({ length: count }, (_, n) => {
    const which = bounds.findIndex((bound) => n < bound);
    return { identity: mix[which]!.identity, authorization: `Bearer ${tokens[which]![n % SUBJECTS_PER_IDENTITY]}` };
  });
}

interface Run {
  subscribers: number;
  /** CPU of the subscribers' and the subgraphs' processes over the same window, % of one core. */
  clientsCpu: number;
  stackCpu: number;
  events: number;
  deliveries: number;
  report: SubscribersReport;
  usage: GatewayUsage;
  lost: number;
  extra: number;
  refused: number;
}

/** Appointment events on seeded appointments, `perSecond` a second; answers the patient of each. */
async function publish(log: EventLog, appointments: StackReady['appointments'], count: number, perSecond: number): Promise<string[]> {
  const patients: string[] = [];
  const startedAt = performance.now();
  for (let k = 0; k < count; k++) {
    const wait = startedAt + (k * 1000) / perSecond - performance.now();
    if (wait > 0) await delay(wait);
    const appointment = appointments[(k * 7919) % appointments.length]!;
    const type = EVENT_TYPES[k % EVENT_TYPES.length]!;
    await log.append(domainEvent(type, { appointmentId: appointment.id, patientId: appointment.patientId, slotId: 'slot-bench' }, 1));
    patients.push(appointment.patientId);
  }
  return patients;
}

/** How many of the events about `patients` each identity is to receive: staff all, a payer its members' only. */
function expectation(coverages: StackReady['coverages'], patients: readonly string[]): (identity: string) => number {
  return (identity) => {
    const payer = mix.find((entry) => entry.identity === identity)!.payer;
    if (!payer) return patients.length;
    const members = new Set(coverages.filter(({ payerId }) => payerId === payer).map(({ patientId }) => patientId));
    return patients.filter((patientId) => members.has(patientId)).length;
  };
}

/**
 * Waits until the subscribers have received `expected` events in all, so that late is told from
 * lost: gives up when nothing more arrives for STALL_MS, or after DRAIN_MS.
 */
async function drain(clients: Spawned, expected: number): Promise<void> {
  const until = Date.now() + DRAIN_MS;
  let progress = { received: -1, at: Date.now() };
  for (;;) {
    const received = await ask<number>(clients, 'progress');
    if (received >= expected || Date.now() > until) return;
    if (received !== progress.received) progress = { received, at: Date.now() };
    else if (Date.now() - progress.at > STALL_MS) return;
    await delay(250);
  }
}

async function run(count: number, workers: number, stack: StackReady, stackPid: number, keyPrefix: string): Promise<Run> {
  const log = await openEventLog({ redisUrl, keyPrefix, maxLength: 100_000, commandTimeoutMs: 2_000 });
  const auditSchema = `fanout_audit_${randomBytes(4).toString('hex')}`;
  const gateway = spawnNode({
    entry: 'bench/fanout/gateway.ts',
    env: {
      LOG_LEVEL: 'warn',
      FANOUT_GATEWAY: JSON.stringify({ subgraphUrls: stack.subgraphUrls, redisUrl, keyPrefix, workers }),
      DATABASE_URL: auditDatabaseUrl || undefined,
      AUDIT_SCHEMA: auditSchema,
      REDIS_URL: undefined,
    },
  });
  const clients = spawnNode({ entry: 'bench/fanout/subscribers.ts', env: { LOG_LEVEL: 'warn' }, nodeFlags: profiled });
  try {
    const { url } = await firstMessage<GatewayReady>(gateway);
    const subscribers = await subscribersFor(count);
    const { refused } = await ask<SubscribersReady>(clients, { url, after: await log.lastId(), subscribers } satisfies SubscriberPlan, 300_000);
    const expectedInAll = (patients: readonly string[]) => {
      const expectedOf = expectation(stack.coverages, patients);
      return subscribers.reduce((sum, { identity }) => sum + expectedOf(identity), 0);
    };
    // Warm-up, not measured: every subscription joined, query plans made, connections pooled.
    await drain(clients, expectedInAll(await publish(log, stack.appointments, WARM_UP_EVENTS, rate)));
    await ask(clients, 'reset');

    gateway.child.send('start');
    const before = { at: performance.now(), clients: cpuMs(clients.pid), stack: cpuMs(stackPid) };
    const patients = await publish(log, stack.appointments, rate * seconds, rate);
    await drain(clients, expectedInAll(patients));
    const usage = await ask<GatewayUsage>(gateway, 'stop');
    const percentOfOneCore = (ms: number) => (ms / (performance.now() - before.at)) * 100;
    const report = await ask<SubscribersReport>(clients, 'report');
    const expectedOf = expectation(stack.coverages, patients);
    const differences = subscribers.map(({ identity }, n) => report.delivered[n]! - expectedOf(identity));
    return {
      subscribers: count,
      clientsCpu: percentOfOneCore(cpuMs(clients.pid) - before.clients),
      stackCpu: percentOfOneCore(cpuMs(stackPid) - before.stack),
      events: patients.length,
      deliveries: report.delivered.reduce((sum, delivered) => sum + delivered, 0),
      report,
      usage,
      lost: differences.reduce((sum, difference) => sum + Math.max(0, -difference), 0),
      extra: differences.reduce((sum, difference) => sum + Math.max(0, difference), 0),
      refused,
    };
  } finally {
    await clients.stop();
    await gateway.stop();
    await log.close();
    await dropSchemas(auditDatabaseUrl || undefined, auditSchema);
  }
}

function print(runs: Run[]): void {
  console.log(`\nSubscription fan-out: ${rate} appointment events/s for ${seconds} s, one selection`);
  console.log(`Subscribers: ${mix.map(({ identity, share }) => `${identity} ${share * 100}%`).join(', ')}; ${SUBJECTS_PER_IDENTITY} subjects each`);
  console.log(`Audit trail: ${auditDatabaseUrl ? 'PostgreSQL' : 'PGlite in the gateway process'}; load average at the end: ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  console.log(`${availableParallelism()} cores, shared by the gateway workers, the subscribers, the subgraphs, Redis and PostgreSQL\n`);
  const header = ['subscribers', 'gateway workers', 'events', 'deliveries', 'p50 ms', 'p99 ms', 'max ms', 'gateway CPU % of a core', 'gateway CPU µs/delivery', 'of it kernel µs', 'gateway peak RSS MiB', 'gateway reads/event', 'gateway read mean ms', 'audit commits/event', 'audit commit mean ms', 'gateway event loop delay p99 ms', 'subscribers CPU %', 'subgraphs CPU %', 'lost', 'extra', 'out of order', 'closed', 'with errors'];
  const rows = runs.map((r) => [
    r.subscribers,
    r.usage.workers,
    r.events,
    r.deliveries,
    r.report.latencyMs.p50,
    r.report.latencyMs.p99,
    r.report.latencyMs.max,
    r.usage.cpuPercentOfOneCore.toFixed(0),
    ((r.usage.cpuMs * 1000) / r.deliveries).toFixed(1),
    ((r.usage.systemCpuMs * 1000) / r.deliveries).toFixed(1),
    r.usage.peakRssMiB.toFixed(0),
    (r.usage.reads / r.events).toFixed(1),
    (r.usage.readMs / Math.max(1, r.usage.reads)).toFixed(1),
    (r.usage.auditCommits / r.events).toFixed(1),
    (r.usage.auditCommitMs / Math.max(1, r.usage.auditCommits)).toFixed(1),
    r.usage.loopDelayP99Ms.toFixed(0),
    r.clientsCpu.toFixed(0),
    r.stackCpu.toFixed(0),
    r.lost,
    r.extra,
    r.report.disordered,
    `${r.report.closed + r.refused}${r.report.closed ? ` (${Object.entries(r.report.closeCodes).map(([code, n]) => `${code}: ${n}`).join(', ')})` : ''}`,
    r.report.withErrors,
  ]);
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' ---').join(' |')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

const stack = spawnNode({ entry: 'bench/fanout/stack.ts', env: { LOG_LEVEL: 'warn' } });
const keyPrefix = `fanout_${randomBytes(4).toString('hex')}:`;
try {
  const ready = await firstMessage<StackReady>(stack, 300_000);
  const runs: Run[] = [];
  for (const [n, size] of sizes.entries()) runs.push(await run(size, workersFor(n), ready, stack.pid, keyPrefix));
  print(runs);
  process.exitCode = runs.some((r) => r.lost > 0) ? 1 : 0;
} finally {
  await stack.stop();
  const redis = await createClient({ url: redisUrl }).connect();
  await redis.del(`${keyPrefix}events`);
  await redis.close();
}
