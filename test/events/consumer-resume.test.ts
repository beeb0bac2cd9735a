// Issue 12, finding 2: event consumers backed off without resetting on reconnect and resumed about
// 30 s after Redis was back. Redis is away long enough for the backoff to reach seconds; an event
// appended once it is back must be handled within a second or so, not after the backoff.
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { booked, openTestEventLog, redisUrl, type TestEventLog } from './event-logs.ts';
import { startRedisProxy, type RedisProxy } from './redis-proxy.ts';

/** Long enough for the default backoff (100 ms doubling) to reach 6.4 s. */
const OUTAGE_MS = 8_000;
/** A second, with room for a loaded machine's timers. */
const RESUME_BOUND_MS = 2_000;

describe('a consumer group after a Redis outage', () => {
  let proxy: RedisProxy;
  let events: TestEventLog;
  let consumer: RunningLoop;
  afterAll(async () => {
    await consumer?.close();
    await events?.dispose();
    await proxy?.close();
  });

  it('resumes within a second of Redis coming back, whatever the backoff had reached', async () => {
    proxy = await startRedisProxy(redisUrl);
    events = await openTestEventLog(proxy.url, { commandTimeoutMs: 500 });
    const handled = new Map<string, number>();
    // The default backoff: 100 ms, doubling up to 30 s.
    consumer = events.log.consume('resume-test', 'replica-1', async ({ event }) => void handled.set(event.id, performance.now()), { blockMs: 200 });
    const first = booked(1);
    await events.log.append(first);
    await expect.poll(() => handled.has(first.id), { timeout: 10_000 }).toBe(true);

    await proxy.down();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await proxy.up();
    const second = booked(2);
    let appendedAt = 0;
    await expect
      .poll(async () => {
        const appended = await events.log.append(second).then(() => true, () => false);
        appendedAt = performance.now();
        return appended;
      }, { timeout: 10_000, interval: 20 })
      .toBe(true);
    await expect.poll(() => handled.has(second.id), { timeout: 40_000, interval: 20 }).toBe(true);
    const resumedAfter = handled.get(second.id)! - appendedAt;
    console.log(`consumer handled the first event after an ${OUTAGE_MS} ms outage ${Math.round(resumedAfter)} ms after it was appended`);
    expect(resumedAfter).toBeLessThan(RESUME_BOUND_MS);
  }, 90_000);
});
