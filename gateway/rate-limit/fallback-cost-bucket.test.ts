// Issue 12, finding 2: with Redis away, the cost bucket failed closed and every request, reads
// included, answered 503. Fail-open (the default) serves on a per-replica share of the budget.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { costBucketFallback } from '../../platform/observability/metrics.ts';
import type { CostBucket } from './cost-bucket.ts';
import { FallbackCostBucket } from './fallback-cost-bucket.ts';
import { MemoryCostBucket } from './memory-cost-bucket.ts';

const limits = { capacity: 100, restoreRate: 1 };
const logger = createLogger('fallback-bucket-test');

/** A shared bucket that fails while `down`, counting the calls that reached it. */
function flakyShared() {
  const inner = new MemoryCostBucket();
  const state = { down: false, calls: 0 };
  const bucket: CostBucket = {
    take(key, cost, bucketLimits) {
      state.calls++;
      return state.down ? Promise.reject(new Error('The client is closed')) : inner.take(key, cost, bucketLimits);
    },
  };
  return { bucket, state };
}

describe('the cost bucket while the shared one is unreachable', () => {
  it('fail-open: serves from a per-replica share of the budget, stops calling the shared bucket, and says it is degraded', async () => {
    const shared = flakyShared();
    const bucket = new FallbackCostBucket(shared.bucket, { mode: 'open', share: 0.25, breaker: { threshold: 3, coolDownMs: 60_000 }, logger });
    expect((await bucket.take('clinic', 10, limits)).allowed).toBe(true);
    shared.state.down = true;
    const takes = await Promise.all(Array.from({ length: 5 }, () => bucket.take('reader', 10, limits)));
    // A quarter of 100 points: two takes of 10 fit.
    expect(takes.map((state) => state.allowed)).toEqual([true, true, false, false, false]);
    expect(takes[0]!.maximumAvailable).toBe(25);
    expect(bucket.degraded).toBe(true);
    const callsWhileOpen = shared.state.calls;
    await bucket.take('other', 1, limits);
    expect(shared.state.calls).toBe(callsWhileOpen);
  });

  it('goes back to the shared bucket once it answers again', async () => {
    const shared = flakyShared();
    const bucket = new FallbackCostBucket(shared.bucket, { mode: 'open', share: 0.5, breaker: { threshold: 1, coolDownMs: 10 }, logger });
    shared.state.down = true;
    await bucket.take('reader', 1, limits);
    expect(bucket.degraded).toBe(true);
    expect((await costBucketFallback.get()).values[0]?.value).toBe(1);
    shared.state.down = false;
    await expect.poll(async () => (await bucket.take('reader', 1, limits)).maximumAvailable, { timeout: 5_000, interval: 20 }).toBe(100);
    expect(bucket.degraded).toBe(false);
    expect((await costBucketFallback.get()).values[0]?.value).toBe(0);
  });

  it('fail-closed: refuses', async () => {
    const shared = flakyShared();
    shared.state.down = true;
    const bucket = new FallbackCostBucket(shared.bucket, { mode: 'closed', share: 0.5, logger });
    await expect(bucket.take('reader', 1, limits)).rejects.toThrow();
  });
});
