import { bucketState, type BucketLimits, type BucketState, type CostBucket } from './cost-bucket.ts';

interface Level {
  tokens: number;
  at: number;
  /** When the bucket is full again; from then on it is the same as no entry. */
  fullAt: number;
}

const SWEEP_EVERY_MS = 60_000;

/** The embedded default: buckets in this process's memory. Same arithmetic as the Redis script. */
export class MemoryCostBucket implements CostBucket {
  private readonly levels = new Map<string, Level>();
  private lastSweep: number;

  /** @param now the clock, in milliseconds; tests pass a frozen one. */
  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  async take(clientKey: string, cost: number, limits: BucketLimits): Promise<BucketState> {
    const now = this.now();
    this.sweep(now);
    const level = this.levels.get(clientKey);
    const tokens = level
      ? Math.min(limits.capacity, level.tokens + (Math.max(0, now - level.at) * limits.restoreRate) / 1000)
      : limits.capacity;
    const allowed = cost <= tokens;
    const left = allowed ? Math.min(limits.capacity, tokens - cost) : tokens;
    this.levels.set(clientKey, { tokens: left, at: now, fullAt: now + ((limits.capacity - left) * 1000) / limits.restoreRate });
    return bucketState(allowed, left, cost, limits);
  }

  /** Forgets refilled buckets once a minute, so callers seen once do not stay in memory. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [key, level] of this.levels) if (level.fullAt <= now) this.levels.delete(key);
  }
}
