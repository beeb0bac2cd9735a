// Issue 12, finding 2: event consumers backed off without resetting on reconnect and resumed about
// 30 s after Redis was back. The consumer's backoff here is 20 s, so without the reset it would
// resume some 12 s after Redis is back; with it, an event appended then is handled at once. The
// bound sits between the two with room for a loaded machine's timers, so it neither flakes nor
// passes by luck.
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { booked, openTestEventLog, redisUrl, type TestEventLog } from './event-logs.ts';
import { startRedisProxy, type RedisProxy } from './redis-proxy.ts';

/** The consumer fails its first read within a second of this and is then in a 20 s backoff. */
const OUTAGE_MS = 8_000;
const BACKOFF = { initialMs: 20_000, maxMs: 25_000 };
/** Well under the ~12 s the backoff has left when Redis is back; a second or so is typical. */
const RESUME_BOUND_MS = 5_000;

describe('a consumer group after a Redis outage', () => {
  let proxy: RedisProxy;
  let events: TestEventLog;
  let consumer: RunningLoop;
  afterAll(async () => {
    await consumer?.close();
    await events?.dispose();
    await proxy?.close();
  });

  it('resumes as soon as Redis is back, not when its backoff runs out', async () => {
    proxy = await startRedisProxy(redisUrl);
    events = await openTestEventLog(proxy.url, { commandTimeoutMs: 500 });
    const handled = new Map<string, number>();
    consumer = events.log.consume('resume-test', 'replica-1', async ({ event }) => void handled.set(event.id, performance.now()), { blockMs: 200, backoff: BACKOFF });
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
