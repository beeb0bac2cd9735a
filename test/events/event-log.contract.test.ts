import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_START, type LoggedEvent } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { booked, eventIds, eventLogEngines, openTestEventLog, type TestEventLog } from './event-logs.ts';

const idParts = (id: string) => id.split('-').map(Number);
const isAfter = (a: string, b: string) => {
  const [aMs = 0, aSeq = 0] = idParts(a);
  const [bMs = 0, bSeq = 0] = idParts(b);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
};
const fast = { blockMs: 100, backoff: { initialMs: 10, maxMs: 100 } };

describe.each(eventLogEngines)('EventLog contract on $engine', ({ redisUrl }) => {
  let opened: TestEventLog[] = [];
  let loops: RunningLoop[] = [];
  const open = async (settings?: Parameters<typeof openTestEventLog>[1]) => {
    const log = await openTestEventLog(redisUrl, settings);
    opened.push(log);
    return log.log;
  };
  const running = (loop: RunningLoop) => {
    loops.push(loop);
    return loop;
  };

  afterEach(async () => {
    await Promise.all(loops.map((loop) => loop.close()));
    await Promise.all(opened.map((log) => log.dispose()));
    opened = [];
    loops = [];
  });

  it('appends with increasing ids and replays after any id', async () => {
    const log = await open();
    expect(await log.lastId()).toBe(LOG_START);
    const events = [1, 2, 3, 4, 5].map((n) => booked(n));
    const ids: string[] = [];
    for (const event of events) ids.push(await log.append(event));
    ids.slice(1).forEach((id, n) => expect(isAfter(id, ids[n]!)).toBe(true));

    const all = await log.read(LOG_START);
    expect(all.map((entry) => entry.logId)).toEqual(ids);
    expect(all.map((entry) => entry.event)).toEqual(events);
    expect(eventIds(await log.read(ids[1]!))).toEqual(eventIds(all.slice(2)));
    expect(eventIds(await log.read(ids[1]!, 2))).toEqual(eventIds(all.slice(2, 4)));
    expect(await log.read(ids[4]!)).toEqual([]);
    expect(await log.lastId()).toBe(ids[4]);
  });

  it("records an outbox's position with its append, and knows nothing of it in a log that never had it", async () => {
    const log = await open();
    expect(await log.publishedThrough('billing')).toBeUndefined();
    await log.append(booked(1), { origin: 'billing', publication: '41' });
    await log.append(booked(2), { origin: 'billing', publication: '42' });
    await log.append(booked(3));
    expect(await log.publishedThrough('billing')).toBe('42');
    expect(await log.publishedThrough('patients')).toBeUndefined();
    expect(await (await open()).publishedThrough('billing')).toBeUndefined();
  });

  it('tells below which id every consumer group has acknowledged every event', async () => {
    const log = await open();
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push(await log.append(booked(n)));
    // No group: nothing is known handled.
    expect(await log.handledBelow()).toBe(LOG_START);
    const handled: string[] = [];
    const slow = new Set<string>();
    running(log.consume('quick', 'replica-1', ({ logId }) => void handled.push(logId), fast));
    // The slow group takes the first two, then fails on the third until told otherwise.
    let failThird = true;
    running(
      log.consume(
        'slow',
        'replica-1',
        ({ logId }) => {
          if (logId === ids[2] && failThird) throw new Error('not yet');
          slow.add(logId);
        },
        { ...fast, maxAttempts: 1_000, backoff: { initialMs: 20, maxMs: 20 } },
      ),
    );
    await vi.waitFor(() => expect(handled).toHaveLength(4), { timeout: 5_000 });
    await vi.waitFor(async () => expect(await log.handledBelow()).toBe(ids[2]), { timeout: 5_000 });
    failThird = false;
    await vi.waitFor(() => expect(slow.size).toBe(4), { timeout: 5_000 });
    await vi.waitFor(async () => expect(isAfter(await log.handledBelow(), ids[3]!)).toBe(true), { timeout: 5_000 });
  });

  it('keeps a bounded history, trimming the oldest events', async () => {
    const log = await open({ maxLength: 10 });
    for (let n = 0; n < 300; n++) await log.append(booked(n));
    const kept = await log.read(LOG_START, 1_000);
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThan(300);
    expect(kept.at(-1)?.event.data).toMatchObject({ appointmentId: 'apt-299' });
  });

  it('hands every subscriber every event once, from the id it asks for', async () => {
    const log = await open();
    const first = await log.append(booked(1));
    await log.append(booked(2));
    const fromStart: LoggedEvent[] = [];
    const fromFirst: LoggedEvent[] = [];
    const fromNow: LoggedEvent[] = [];
    running(log.subscribe(LOG_START, (logged) => void fromStart.push(logged), fast));
    running(log.subscribe(first, (logged) => void fromFirst.push(logged), fast));
    running(log.subscribe(await log.lastId(), (logged) => void fromNow.push(logged), fast));
    for (const n of [3, 4, 5]) await log.append(booked(n));

    await vi.waitFor(() => expect(fromStart).toHaveLength(5));
    await vi.waitFor(() => expect(fromFirst).toHaveLength(4));
    await vi.waitFor(() => expect(fromNow).toHaveLength(3));
    expect(eventIds(fromFirst)).toEqual(eventIds(fromStart.slice(1)));
    expect(eventIds(fromNow)).toEqual(eventIds(fromStart.slice(2)));
  });

  it('moves a subscriber past an event its handler fails on', async () => {
    const log = await open();
    const seen: string[] = [];
    running(
      log.subscribe(
        LOG_START,
        (logged) => {
          seen.push(logged.event.subject);
          if (logged.event.subject === 'Appointment/apt-1') throw new Error('resolution failed');
        },
        fast,
      ),
    );
    for (const n of [1, 2]) await log.append(booked(n));
    await vi.waitFor(() => expect(seen).toEqual(['Appointment/apt-1', 'Appointment/apt-2']));
  });

  it('gives each event to one consumer of a group, and every group every event', async () => {
    const log = await open();
    const handledBy: Record<string, string[]> = { a: [], b: [], audit: [] };
    const consumer = (name: string) => async (logged: LoggedEvent) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      handledBy[name]!.push(logged.event.id);
    };
    running(log.consume('webhooks', 'a', consumer('a'), { ...fast, batchSize: 1 }));
    running(log.consume('webhooks', 'b', consumer('b'), { ...fast, batchSize: 1 }));
    running(log.consume('audit', 'audit', consumer('audit'), fast));
    for (let n = 0; n < 20; n++) await log.append(booked(n));

    await vi.waitFor(() => expect(handledBy.a!.length + handledBy.b!.length).toBe(20));
    await vi.waitFor(() => expect(handledBy.audit).toHaveLength(20));
    const webhooks = [...handledBy.a!, ...handledBy.b!];
    expect(new Set(webhooks).size).toBe(20);
    expect(new Set(webhooks)).toEqual(new Set(handledBy.audit));
    expect(handledBy.a!.length).toBeGreaterThan(0);
    expect(handledBy.b!.length).toBeGreaterThan(0);
  });

  it('retries a failing handler with backoff, dead-letters it, and redelivers it on replay', async () => {
    const log = await open();
    let partnerDown = true;
    const attempts: number[] = [];
    const delivered: string[] = [];
    running(
      log.consume(
        'webhooks',
        'a',
        (logged) => {
          if (logged.event.subject === 'Appointment/apt-1' && partnerDown) {
            attempts.push(Date.now());
            throw Object.assign(new Error('partner answered 503'), { code: 'UPSTREAM_UNAVAILABLE' });
          }
          delivered.push(logged.event.subject);
        },
        { ...fast, maxAttempts: 3, backoff: { initialMs: 40, maxMs: 1_000 } },
      ),
    );
    const failingId = await log.append(booked(1));
    await log.append(booked(2));

    await vi.waitFor(async () => expect(await log.deadLetters('webhooks')).toHaveLength(1));
    expect(attempts).toHaveLength(3);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(35);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(75);
    const [dead] = await log.deadLetters('webhooks');
    expect(dead).toMatchObject({
      logId: failingId,
      group: 'webhooks',
      attempts: 3,
      error: { code: 'UPSTREAM_UNAVAILABLE', message: 'partner answered 503' },
      event: { subject: 'Appointment/apt-1' },
    });
    await vi.waitFor(() => expect(delivered).toEqual(['Appointment/apt-2']));
    expect(await log.deadLetters('audit')).toEqual([]);

    partnerDown = false;
    expect(await log.replayDeadLetters('webhooks')).toBe(1);
    await vi.waitFor(() => expect(delivered).toEqual(['Appointment/apt-2', 'Appointment/apt-1']));
    expect(await log.deadLetters('webhooks')).toEqual([]);
  });

  it("tells each group's lag, pending and dead letters (operations' metrics)", async () => {
    const log = await open();
    expect(await log.groups()).toEqual([]);
    const appending = Date.now();
    for (const n of [1, 2, 3]) await log.append(booked(n));
    let release = () => {};
    const held: string[] = [];
    running(
      log.consume('billing', 'one', (logged) => {
        held.push(logged.event.id);
        if (logged.event.subject === 'Appointment/apt-2') throw new Error('no');
        return new Promise<void>((resolve) => (release = resolve));
      }, { ...fast, batchSize: 1, maxAttempts: 1 }),
    );
    await vi.waitFor(() => expect(held).toHaveLength(1));
    // Delivered one of three and handling it: two to go, one pending, the oldest since it was appended.
    const [state] = await log.groups();
    release();
    expect(state).toEqual({ group: 'billing', lag: 2, pending: 1, deadLetters: 0, oldestUnhandledAt: expect.any(Date) });
    expect(state!.oldestUnhandledAt!.getTime()).toBeGreaterThanOrEqual(appending - 1);
    expect(state!.oldestUnhandledAt!.getTime()).toBeLessThanOrEqual(Date.now());
    await vi.waitFor(async () => expect(held).toHaveLength(3));
    release();
    // Caught up: nothing waits, so nothing is oldest.
    await vi.waitFor(async () => expect(await log.groups()).toEqual([{ group: 'billing', lag: 0, pending: 0, deadLetters: 1 }]));
  });

  it('hands an event a consumer holds too long without acknowledging to another consumer', async () => {
    const log = await open();
    const options = { ...fast, claimIdleMs: 300 };
    let release = () => {};
    const stuck: string[] = [];
    running(
      log.consume('billing', 'stuck', (logged) => {
        stuck.push(logged.event.id);
        return new Promise<void>((resolve) => (release = resolve));
      }, options),
    );
    await log.append(booked(1));
    await vi.waitFor(() => expect(stuck).toHaveLength(1));

    const rescued: LoggedEvent[] = [];
    running(log.consume('billing', 'rescuer', (logged) => void rescued.push(logged), options));
    try {
      await vi.waitFor(() => expect(eventIds(rescued)).toEqual(stuck));
    } finally {
      release();
    }
  });
});
