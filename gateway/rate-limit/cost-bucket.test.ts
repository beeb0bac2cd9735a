import { setting } from '../../platform/config.ts';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostBucket } from './cost-bucket.ts';
import { MemoryCostBucket } from './memory-cost-bucket.ts';
import { RedisCostBucket } from './redis-cost-bucket.ts';

const redisUrl = setting('TEST_REDIS_URL');
const prefix = `test:cost-bucket:${randomUUID()}:`;
const replicaA = createClient({ url: redisUrl });
const replicaB = createClient({ url: redisUrl });

beforeAll(async () => {
  await Promise.all([replicaA.connect(), replicaB.connect()]);
});

afterAll(async () => {
  const keys = await replicaA.keys(`${prefix}*`);
  if (keys.length > 0) await replicaA.del(keys);
  await Promise.all([replicaA.close(), replicaB.close()]);
});

// Slow restore, so the few milliseconds a test takes add less than one point.
const slow = { capacity: 100, restoreRate: 1 };

describe.each([
  ['memory', () => new MemoryCostBucket()],
  ['redis', () => new RedisCostBucket(replicaA, prefix)],
])('%s cost bucket', (_name, makeBucket: () => CostBucket) => {
  const client = () => `client-${randomUUID()}`;

  it('starts full and takes the cost', async () => {
    const state = await makeBucket().take(client(), 30, slow);
    expect(state).toMatchObject({ allowed: true, maximumAvailable: 100, restoreRate: 1, retryAfterMs: 0 });
    expect(state.currentlyAvailable).toBeGreaterThanOrEqual(70);
    expect(state.currentlyAvailable).toBeLessThan(71);
  });

  it('refuses a cost that does not fit, takes none of it, and says when it will', async () => {
    const bucket = makeBucket();
    const key = client();
    await bucket.take(key, 90, slow);
    const refused = await bucket.take(key, 25, slow);
    expect(refused.allowed).toBe(false);
    expect(refused.currentlyAvailable).toBeLessThan(11);
    // 15 points short at 1 point per second.
    expect(refused.retryAfterMs).toBeGreaterThan(13_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(15_000);
    expect((await bucket.take(key, 10, slow)).allowed).toBe(true);
  });

  it('restores at the restore rate, never above capacity', async () => {
    const bucket = makeBucket();
    const key = client();
    // 5 points come back in 250 ms. Only lower bounds on time are asserted: a busy machine makes
    // every wait longer, never shorter.
    const limits = { capacity: 10, restoreRate: 20 };
    const emptiedBefore = performance.now();
    await bucket.take(key, 10, limits);
    await expect.poll(async () => (await bucket.take(key, 5, limits)).allowed, { timeout: 5_000, interval: 10 }).toBe(true);
    // Redis's TIME has millisecond steps: a millisecond of slack each side.
    expect(performance.now() - emptiedBefore).toBeGreaterThanOrEqual(248);
    // From about 5 left, full after another 250 ms; waited twice that, it is full and no more.
    await sleep(500);
    expect((await bucket.take(key, 0, limits)).currentlyAvailable).toBe(10);
  });

  it('gives points back for a negative cost, up to capacity', async () => {
    const bucket = makeBucket();
    const key = client();
    await bucket.take(key, 60, slow);
    expect((await bucket.take(key, -50, slow)).currentlyAvailable).toBeGreaterThanOrEqual(90);
    expect((await bucket.take(key, -50, slow)).currentlyAvailable).toBe(100);
  });

  it('keeps clients apart', async () => {
    const bucket = makeBucket();
    const [first, second] = [client(), client()];
    await bucket.take(first, 100, slow);
    expect((await bucket.take(second, 100, slow)).allowed).toBe(true);
  });

  it('never overspends under concurrent takes', async () => {
    const bucket = makeBucket();
    const key = client();
    const states = await Promise.all(Array.from({ length: 25 }, () => bucket.take(key, 10, slow)));
    expect(states.filter((state) => state.allowed)).toHaveLength(10);
  });
});

describe('redis cost bucket across gateway replicas', () => {
  it('spends one shared budget from two clients', async () => {
    const key = `clinic-${randomUUID()}`;
    const [a, b] = [new RedisCostBucket(replicaA, prefix), new RedisCostBucket(replicaB, prefix)];
    const takes = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).take(key, 10, slow)));
    expect(takes.filter((state) => state.allowed)).toHaveLength(10);
    const seenByB = await b.take(key, 0, slow);
    expect(seenByB.currentlyAvailable).toBeLessThan(1);
  });

  it('keeps the bucket under its prefix, expiring once it would be full again', async () => {
    const key = `clinic-${randomUUID()}`;
    await new RedisCostBucket(replicaA, prefix).take(key, 30, slow);
    const ttl = await replicaA.pTTL(`${prefix}${key}`);
    // 30 points at 1 per second: full in 30 s, plus a second of slack.
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(31_000);
  });

  it('loads the script with EVAL when Redis does not know it yet', async () => {
    // A stand-in for a fresh Redis, rather than SCRIPT FLUSH on a server other suites share.
    const fresh = {
      evalSha: () => Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.')),
      eval: replicaA.eval.bind(replicaA),
    };
    const state = await new RedisCostBucket(fresh, prefix).take(`clinic-${randomUUID()}`, 1, slow);
    expect(state.allowed).toBe(true);
  });
});
