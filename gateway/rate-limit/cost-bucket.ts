/** A token bucket's size and refill: `capacity` points, refilled at `restoreRate` points per second. */
export interface BucketLimits {
  capacity: number;
  restoreRate: number;
}

/** The bucket after a take, in the words of Shopify's `throttleStatus`. */
export interface BucketState {
  allowed: boolean;
  /** Points left after this take (or before it, when it was refused); fractional while refilling. */
  currentlyAvailable: number;
  maximumAvailable: number;
  restoreRate: number;
  /** When a refused cost would fit, at the restore rate; 0 when allowed. A cost above capacity never fits. */
  retryAfterMs: number;
}

/**
 * Cost points per client key. A take is all or nothing: a cost that does not fit takes nothing. A negative
 * cost gives points back (up to capacity): the refund of what an operation asked for and did not use.
 * A cost of 0 reads the bucket.
 */
export interface CostBucket {
  take(clientKey: string, cost: number, limits: BucketLimits): Promise<BucketState>;
}

/** The state after a take that found `available` points: what both buckets report. */
export function bucketState(allowed: boolean, available: number, cost: number, limits: BucketLimits): BucketState {
  return {
    allowed,
    currentlyAvailable: available,
    maximumAvailable: limits.capacity,
    restoreRate: limits.restoreRate,
    retryAfterMs: allowed ? 0 : Math.ceil(((cost - available) * 1000) / limits.restoreRate),
  };
}
