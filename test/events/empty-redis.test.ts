import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { processedOnce } from '../../platform/events/inbox.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { emit } from '../../platform/events/outbox.ts';
import { startOutboxRelay, type OutboxRelayOptions } from '../../platform/events/outbox-relay.ts';
import { createLogger } from '../../platform/logger.ts';
import { postgresUrl, uniqueName } from '../support/databases.ts';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.ts';
import { openTestEventLog, type TestEventLog } from './event-logs.ts';
import { migratedDatabase } from './migrated-database.ts';

const logger = createLogger('empty-redis-test');
const retry = { initialMs: 10, maxMs: 200 };
const reading = { blockMs: 200, backoff: retry, claimIdleMs: 1_000 };
const recovery = { timeout: 20_000, interval: 50 };
const GROUP = 'charges';

/**
 * A Redis of the test's own, without persistence, restarted empty: the outbox is where events are
 * kept, so what the log lost is published again, and consumers deduplicate through their inbox.
 */
describe('the event log when Redis comes back empty', () => {
  const suite = migratedDatabase(postgresUrl, 'empty_redis');
  let redis: OwnRedis;
  let events: TestEventLog;
  let relay: RunningLoop | undefined;
  let consumer: RunningLoop | undefined;
  /** Each appointment whose event the consumer's work ran for, as often as it ran. */
  let effects: string[];
  /** Appointments whose work fails, as a handler with a bug or a dependency gone would. */
  let failing: Set<string>;

  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });
  beforeEach(async () => {
    effects = [];
    failing = new Set();
    await suite.db.exec('TRUNCATE outbox, processed_events');
    events = await openTestEventLog(redis.url, { commandTimeoutMs: 500 });
  });
  afterEach(async () => {
    await Promise.all([relay?.close(), consumer?.close()]);
    relay = consumer = undefined;
    await events.dispose();
  });

  const startRelay = (options: OutboxRelayOptions = {}) => (relay = startOutboxRelay(suite.db, events.log, logger, { pollIntervalMs: 20, backoff: retry, ...options }));
  const startConsumer = () =>
    (consumer = events.log.consume(
      GROUP,
      'replica-1',
      async ({ event }) => {
        if (event.type !== 'org.healthgraph.appointment.booked.v1') return;
        if (failing.has(event.data.appointmentId)) throw Object.assign(new Error('the charge could not be captured'), { code: 'CAPTURE_FAILED' });
        await suite.db.transaction((tx) => processedOnce(tx, GROUP, event.id, async () => void effects.push(event.data.appointmentId)));
      },
      { ...reading, maxAttempts: 2 },
    ));
  const newAppointmentId = () => `apt-${uniqueName('r')}`;
  const bookAs = (appointmentId: string) =>
    suite.db.transaction((tx) => emit(tx, 'org.healthgraph.appointment.booked.v1', { appointmentId, patientId: 'pat-1', slotId: 'slot-1' }));
  async function book(count: number): Promise<string[]> {
    const booked: string[] = [];
    for (let n = 0; n < count; n++) {
      const appointmentId = newAppointmentId();
      await bookAs(appointmentId);
      booked.push(appointmentId);
    }
    return booked;
  }
  const outbox = async () =>
    (await suite.db.query<{ published: number; waiting: number }>(
      'SELECT count(published_at)::int AS published, (count(*) - count(published_at))::int AS waiting FROM outbox',
    ))[0]!;
  const onceEach = (ids: string[]) => [...ids].sort();

  it('publishes again what the log lost, and every pending event is handled once', async () => {
    startRelay();
    startConsumer();
    const handled = await book(3);
    await vi.waitFor(() => expect(onceEach(effects)).toEqual(onceEach(handled)), recovery);

    // The consumer is away: these are published and wait in the log, then the log is lost.
    await consumer!.close();
    const pending = await book(4);
    await vi.waitFor(async () => expect(await outbox()).toEqual({ published: 7, waiting: 0 }), recovery);
    await redis.restartEmpty();

    startConsumer();
    const after = await book(1);
    await vi.waitFor(() => expect(onceEach(effects)).toEqual(onceEach([...handled, ...pending, ...after])), recovery);
    // The handled ones came again (nothing told the new log they were handled) and changed nothing.
    const [inbox] = await suite.db.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1', [GROUP]);
    expect(inbox?.n).toBe(8);
    expect(await events.log.publishedThrough(suite.db.schema)).toBeDefined();
  });

  it('publishes again what the log lost while it was down, whatever came first when it returned', async () => {
    startRelay();
    startConsumer();
    await redis.stop();
    const whileDown = await book(2);
    await redis.start();
    const after = await book(2);
    await vi.waitFor(() => expect(onceEach(effects)).toEqual(onceEach([...whileDown, ...after])), recovery);
  });

  it('keeps a published event until every consumer group has acknowledged it', async () => {
    startRelay({ pruneIntervalMs: 50 });
    // The group exists but is away: nothing it has not acknowledged is deleted.
    await events.log.consume(GROUP, 'replica-1', () => undefined, reading).close();
    const booked = await book(3);
    await vi.waitFor(async () => expect(await outbox()).toEqual({ published: 3, waiting: 0 }), recovery);
    // Several prune rounds pass meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outbox()).toEqual({ published: 3, waiting: 0 });

    startConsumer();
    await vi.waitFor(() => expect(onceEach(effects)).toEqual(onceEach(booked)), recovery);
    await vi.waitFor(async () => expect(await outbox()).toEqual({ published: 0, waiting: 0 }), recovery);
    // Nothing is left to publish again after the log is lost: every group had it.
    await redis.restartEmpty();
    await book(1);
    await vi.waitFor(() => expect(effects).toHaveLength(4), recovery);
    expect(onceEach(effects.slice(0, 3))).toEqual(onceEach(booked));
  });

  it('keeps a dead-lettered event, so a log that came back empty gives it to its group again', async () => {
    startRelay({ pruneIntervalMs: 50 });
    startConsumer();
    const handled = await book(2);
    const poisoned = newAppointmentId();
    failing.add(poisoned);
    await bookAs(poisoned);
    await vi.waitFor(async () => expect((await events.log.deadLetters(GROUP)).map(({ event }) => event.data)).toMatchObject([{ appointmentId: poisoned }]), recovery);
    await vi.waitFor(() => expect(onceEach(effects)).toEqual(onceEach(handled)), recovery);
    // What was handled before it is pruned; the dead letter's event is not: it was never handled.
    await vi.waitFor(async () => expect(await outbox()).toEqual({ published: 1, waiting: 0 }), recovery);

    await consumer!.close();
    await redis.restartEmpty();
    startConsumer();
    // Still failing: it is a dead letter again, where the operator looks for it.
    await vi.waitFor(async () => expect((await events.log.deadLetters(GROUP)).map(({ event }) => event.data)).toMatchObject([{ appointmentId: poisoned }]), recovery);
    failing.clear();
    expect(await events.log.replayDeadLetters(GROUP)).toBe(1);
    await vi.waitFor(() => expect(onceEach(effects)).toEqual(onceEach([...handled, poisoned])), recovery);
  });

  it('deletes a published event after the retention period even when a group never acknowledged it', async () => {
    startRelay({ pruneIntervalMs: 50, retentionHours: 0 });
    await events.log.consume(GROUP, 'replica-1', () => undefined, reading).close();
    await book(2);
    await vi.waitFor(async () => expect(await outbox()).toEqual({ published: 0, waiting: 0 }), recovery);
  });
});
