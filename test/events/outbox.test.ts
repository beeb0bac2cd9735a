import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database, Queryable } from '../../platform/database/database.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { LOG_START, type EventLog } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { emit, emitOnce } from '../../platform/events/outbox.ts';
import { relayOutboxBatch, startOutboxRelay } from '../../platform/events/outbox-relay.ts';
import { createLogger } from '../../platform/logger.ts';
import { databaseEngines } from '../support/databases.ts';
import { openTestEventLog, type TestEventLog } from './event-logs.ts';
import { migratedDatabase } from './migrated-database.ts';
const logger = createLogger('outbox-test');
const fast = { pollIntervalMs: 20, backoff: { initialMs: 10, maxMs: 50 } };

/** An appointments-like change: the row and its event, in the caller's transaction. */
async function book(tx: Queryable, appointmentId: string) {
  await tx.query(`INSERT INTO appointment (id, status) VALUES ($1, 'BOOKED')`, [appointmentId]);
  return emit(tx, 'org.healthgraph.appointment.booked.v1', { appointmentId, patientId: 'pat-7', slotId: `slot-${appointmentId}` });
}

async function confirm(tx: Queryable, appointmentId: string) {
  await tx.query(`UPDATE appointment SET status = 'CONFIRMED' WHERE id = $1`, [appointmentId]);
  return emit(tx, 'org.healthgraph.appointment.confirmed.v1', { appointmentId, patientId: 'pat-7' });
}

/** A log the test can take down: appends fail fast, as they do while Redis is unreachable. */
function interruptible(log: EventLog) {
  const state = { down: false };
  const wrapped: EventLog = {
    ...log,
    // The position mark goes along: without it the relay would think the log lost what it took.
    append: (event, mark) => (state.down ? Promise.reject(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' })) : log.append(event, mark)),
  };
  return { log: wrapped, state };
}

const subjectsAndSequences = async (log: EventLog) =>
  (await log.read(LOG_START, 1_000)).map(({ event }) => `${event.subject}#${Number(event.sequence)}`);

describe.each(databaseEngines)('the outbox on $engine', ({ url }) => {
  const suite = migratedDatabase(url, 'outbox');
  let db: Database;
  let events: TestEventLog;
  let relays: RunningLoop[] = [];

  beforeEach(async () => {
    db = suite.db;
    await db.exec('TRUNCATE outbox, outbox_sequences, appointment');
    events = await openTestEventLog(undefined);
  });
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.close()));
    relays = [];
    await events.dispose();
  });

  it('publishes nothing for a transaction that rolled back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await book(tx, 'apt-lost');
        throw new Error('slot taken meanwhile');
      }),
    ).rejects.toThrow('slot taken meanwhile');
    expect(await relayOutboxBatch(db, events.log, 100)).toBe(0);
    expect(await events.log.read(LOG_START)).toEqual([]);
  });

  it('publishes a committed event once, in order, numbered within its aggregate', async () => {
    const emitted = [
      await db.transaction((tx) => book(tx, 'apt-1')),
      await db.transaction((tx) => confirm(tx, 'apt-1')),
      await db.transaction((tx) => book(tx, 'apt-2')),
    ];
    expect(await relayOutboxBatch(db, events.log, 100)).toBe(3);
    expect(await relayOutboxBatch(db, events.log, 100)).toBe(0);

    const published = (await events.log.read(LOG_START)).map((entry) => entry.event);
    expect(published).toEqual(emitted);
    expect(await subjectsAndSequences(events.log)).toEqual(['Appointment/apt-1#1', 'Appointment/apt-1#2', 'Appointment/apt-2#1']);
    expect(published[0]).toMatchObject({
      specversion: '1.0',
      source: '/subgraphs/appointments',
      type: 'org.healthgraph.appointment.booked.v1',
      subject: 'Appointment/apt-1',
      datacontenttype: 'application/json',
      patientid: 'pat-7',
      aggregateid: 'apt-1',
      sequence: '0000000001',
      data: { appointmentId: 'apt-1', patientId: 'pat-7', slotId: 'slot-apt-1' },
    });
    const [unpublished] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    expect(unpublished?.n).toBe(0);
  });

  it('publishes an event whose id its writer derives once, however often the writer runs', async () => {
    const changed = (status: 'RUNNING' | 'WAITING', sequence: number) =>
      emitOnce(db, 'org.healthgraph.onboarding.changed.v1', { onboardingId: 'onb-1', status, waitingOn: status === 'WAITING' ? 'PATIENT' : null }, { id: `onb-1:changed:${sequence}`, sequence });
    expect(await changed('RUNNING', 1)).toBe(true);
    // A step cut short by a crash runs again with the same id.
    expect(await changed('RUNNING', 1)).toBe(false);
    expect(await changed('WAITING', 2)).toBe(true);
    expect(await relayOutboxBatch(db, events.log, 100)).toBe(2);
    const published = (await events.log.read(LOG_START)).map((entry) => entry.event);
    expect(published.map((event) => [event.id, event.subject, event.sequence, event.source])).toEqual([
      ['onb-1:changed:1', 'Onboarding/onb-1', '0000000001', '/subgraphs/workflows'],
      ['onb-1:changed:2', 'Onboarding/onb-1', '0000000002', '/subgraphs/workflows'],
    ]);
  });

  it('writes an event with a derived id once when its writers run at the same time', async () => {
    // Replicas re-running one step after a crash, each on a connection of its own (opened first, so
    // the writes meet rather than queue behind connecting).
    await Promise.all(Array.from({ length: 8 }, () => db.query('SELECT pg_sleep(0.05)')));
    const written = await Promise.all(
      Array.from({ length: 8 }, () =>
        emitOnce(db, 'org.healthgraph.onboarding.changed.v1', { onboardingId: 'onb-2', status: 'RUNNING', waitingOn: null }, { id: 'onb-2:changed:1', sequence: 1 }),
      ),
    );
    expect(written.filter(Boolean)).toHaveLength(1);
    const [rows] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE event->>'id' = 'onb-2:changed:1'`);
    expect(rows?.n).toBe(1);
  });

  it('keeps rows while the log is down and catches up in order when it is back', async () => {
    const { log, state } = interruptible(events.log);
    state.down = true;
    relays.push(startOutboxRelay(db, log, logger, fast));
    for (let n = 1; n <= 5; n++) await db.transaction((tx) => book(tx, `apt-${n}`));
    await db.transaction((tx) => confirm(tx, 'apt-1'));

    await vi.waitFor(async () => {
      const [first] = await db.query<{ attempts: number }>('SELECT attempts FROM outbox ORDER BY seq LIMIT 1');
      expect(first?.attempts).toBeGreaterThanOrEqual(2);
    });
    const [waiting] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    expect(waiting?.n).toBe(6);
    expect(await events.log.read(LOG_START)).toEqual([]);

    state.down = false;
    const expected = [1, 2, 3, 4, 5].map((n) => `Appointment/apt-${n}#1`).concat('Appointment/apt-1#2');
    await vi.waitFor(async () => expect(await subjectsAndSequences(events.log)).toEqual(expected));
  });

  it('wakes on a write in this process instead of waiting for its next poll', async () => {
    // Written before it starts: its first poll publishes it, then it waits a minute for the next.
    await db.transaction((tx) => book(tx, 'apt-before'));
    relays.push(startOutboxRelay(db, events.log, logger, { pollIntervalMs: 60_000 }));
    await vi.waitFor(async () => expect(await events.log.read(LOG_START)).toHaveLength(1), { timeout: 5_000 });
    await db.transaction((tx) => book(tx, 'apt-now'));
    await vi.waitFor(async () => expect(await events.log.read(LOG_START)).toHaveLength(2), { timeout: 1_000 });
  });

  it.skipIf(!url)('publishes a row that commits after a later row once, and does not take the later row for lost', async () => {
    // Row 1 is written first but commits last: the relay publishes row 2 before row 1 exists for it.
    let commitFirstWriter!: () => void;
    const firstWriterMayCommit = new Promise<void>((resolve) => (commitFirstWriter = resolve));
    let firstRowWritten!: () => void;
    const firstRowIsWritten = new Promise<void>((resolve) => (firstRowWritten = resolve));
    const firstWriter = db.transaction(async (tx) => {
      await book(tx, 'apt-slow');
      firstRowWritten();
      await firstWriterMayCommit;
    });
    await firstRowIsWritten;
    await db.transaction((tx) => book(tx, 'apt-quick'));

    expect(await relayOutboxBatch(db, events.log, 100, logger)).toBe(1);
    commitFirstWriter();
    await firstWriter;
    expect(await relayOutboxBatch(db, events.log, 100, logger)).toBe(1);
    expect(await relayOutboxBatch(db, events.log, 100, logger)).toBe(0);

    expect(await subjectsAndSequences(events.log)).toEqual(['Appointment/apt-quick#1', 'Appointment/apt-slow#1']);
  });

  it.skipIf(!url)('lets two relays share one schema: each row published once, each aggregate in order', async () => {
    const replica = await openDatabase({ url, schema: suite.schema });
    try {
      relays.push(startOutboxRelay(db, events.log, logger, { ...fast, batchSize: 7 }));
      relays.push(startOutboxRelay(replica, events.log, logger, { ...fast, batchSize: 7 }));
      const writers = [1, 2, 3, 4, 5, 6, 7, 8].map(async (writer) => {
        const appointmentId = `apt-${writer}`;
        await db.transaction((tx) => book(tx, appointmentId));
        for (let step = 0; step < 14; step++) await (step % 2 ? db : replica).transaction((tx) => confirm(tx, appointmentId));
      });
      await Promise.all(writers);

      await vi.waitFor(async () => expect(await events.log.read(LOG_START, 1_000)).toHaveLength(120));
      const published = (await events.log.read(LOG_START, 1_000)).map((entry) => entry.event);
      expect(new Set(published.map((event) => event.id)).size).toBe(120);
      for (const writer of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const sequences = published.filter((event) => event.aggregateid === `apt-${writer}`).map((event) => Number(event.sequence));
        expect(sequences).toEqual(Array.from({ length: 15 }, (_, n) => n + 1));
      }
    } finally {
      await Promise.all(relays.splice(0).map((relay) => relay.close()));
      await replica.close();
    }
  });
});
