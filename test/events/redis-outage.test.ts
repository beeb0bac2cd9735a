import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_START } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { emit } from '../../platform/events/outbox.ts';
import { startOutboxRelay } from '../../platform/events/outbox-relay.ts';
import { createLogger } from '../../platform/logger.ts';
import { postgresUrl, uniqueName } from '../support/databases.ts';
import { booked, openTestEventLog, redisUrl, withAdmin, type TestEventLog } from './event-logs.ts';
import { migratedDatabase } from './migrated-database.ts';
import { startRedisProxy, type RedisProxy } from './redis-proxy.ts';

const logger = createLogger('redis-outage-test');
const COMMAND_TIMEOUT_MS = 300;
const retry = { initialMs: 10, maxMs: 200 };
const recovery = { timeout: 10_000, interval: 50 };

/**
 * The whole path under a failing Redis: outbox, relay, a subscriber and a consumer group. What is
 * asserted is that nothing is lost; an append that timed out may still land, so events may repeat.
 */
describe('the event log across a Redis outage', () => {
  const suite = migratedDatabase(postgresUrl, 'outage');
  let events: TestEventLog;
  let proxy: RedisProxy;
  let loops: RunningLoop[] = [];
  const emitted: string[] = [];
  const subscribed = new Set<string>();
  const consumed = new Set<string>();

  afterEach(async () => {
    await Promise.all(loops.map((loop) => loop.close()));
    await events.dispose();
    await proxy.close();
    loops = [];
  });

  async function emitBookings(count: number) {
    for (let n = 0; n < count; n++) {
      const appointmentId = `apt-${uniqueName('o')}`;
      const event = await suite.db.transaction((tx) => emit(tx, 'org.healthgraph.appointment.booked.v1', { appointmentId, patientId: 'pat-1', slotId: 'slot-1' }));
      emitted.push(event.id);
    }
  }

  async function everyoneHasEverything() {
    await vi.waitFor(() => {
      expect(emitted.filter((id) => !subscribed.has(id))).toEqual([]);
      expect(emitted.filter((id) => !consumed.has(id))).toEqual([]);
    }, recovery);
    const [left] = await suite.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    expect(left?.n).toBe(0);
  }

  /** A fresh log behind a proxy, with relay, subscriber and consumer running and events flowing. */
  async function start() {
    emitted.length = 0;
    subscribed.clear();
    consumed.clear();
    // A fresh log would be filled with the last test's events from the outbox: a fresh outbox too.
    await suite.db.exec('TRUNCATE outbox');
    proxy = await startRedisProxy(redisUrl);
    events = await openTestEventLog(proxy.url, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
    const reading = { blockMs: 200, backoff: retry };
    loops = [
      startOutboxRelay(suite.db, events.log, logger, { pollIntervalMs: 20, backoff: retry }),
      events.log.subscribe(LOG_START, ({ event }) => void subscribed.add(event.id), reading),
      events.log.consume('webhooks', 'replica-1', ({ event }) => void consumed.add(event.id), { ...reading, claimIdleMs: 1_000 }),
    ];
    await emitBookings(5);
    await everyoneHasEverything();
  }

  it('loses nothing when the server drops the connections mid-stream', async () => {
    await start();
    for (let round = 0; round < 3; round++) {
      // CLIENT KILL on this log's connections only, found by the name they give themselves.
      await withAdmin(redisUrl, async (admin) => {
        const ours = (await admin.clientList()).filter((client) => client.name === `${events.keyPrefix}event-log`);
        expect(ours.length).toBeGreaterThanOrEqual(3);
        for (const client of ours) await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(client.id)]);
      });
      await emitBookings(5);
    }
    await everyoneHasEverything();
  });

  it('keeps events in the outbox while Redis is down, and everyone catches up when it returns', async () => {
    await start();
    await proxy.down();
    await emitBookings(5);
    await vi.waitFor(async () => {
      const [waiting] = await suite.db.query<{ n: number; attempts: number }>(
        'SELECT count(*)::int AS n, max(attempts) AS attempts FROM outbox WHERE published_at IS NULL',
      );
      expect(waiting?.n).toBe(5);
      expect(waiting?.attempts).toBeGreaterThanOrEqual(2);
    }, recovery);
    expect(subscribed.size).toBe(5);

    await proxy.up();
    await emitBookings(5);
    await everyoneHasEverything();
  });

  it('fails an append fast while Redis stalls, then publishes what waited', async () => {
    await start();
    proxy.freeze();
    const started = Date.now();
    await expect(events.log.append(booked(0))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 700);
    await emitBookings(3);
    proxy.thaw();
    await everyoneHasEverything();
  });
});
