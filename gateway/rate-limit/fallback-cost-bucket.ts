import { CircuitBreaker, type BreakerOptions } from '../../platform/circuit-breaker.ts';
import type { Logger } from '../../platform/logger.ts';
import { costBucketFallback } from '../../platform/observability/metrics.ts';
import type { BucketLimits, BucketState, CostBucket } from './cost-bucket.ts';
import { MemoryCostBucket } from './memory-cost-bucket.ts';

/** What the gateway does while the shared bucket (Redis) cannot be reached. */
export type BucketFallback = 'open' | 'closed';

export interface FallbackOptions {
  /** open: each replica spends its own share of every budget; closed: every request is refused (503). */
  mode: BucketFallback;
  /** The share of each client's budget (capacity and restore rate) one replica grants on its own: 1/replicas stays within budget. */
  share: number;
  breaker?: Partial<BreakerOptions>;
  logger: Logger;
}

/**
 * The shared bucket behind a circuit breaker. While it fails (Redis down, or stalled), takes go to
 * buckets in this process with a conservative share of the budget (fail-open), or fail (fail-closed),
 * at once: no request waits for a Redis that is away. Closing the circuit again is logged too.
 */
export class FallbackCostBucket implements CostBucket {
  private readonly local = new MemoryCostBucket();
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly shared: CostBucket,
    private readonly options: FallbackOptions,
  ) {
    this.breaker = new CircuitBreaker({ threshold: 3, coolDownMs: 1_000, ...options.breaker });
    this.breaker.onStateChange((state) => {
      costBucketFallback.set(state === 'closed' ? 0 : 1);
      if (state === 'open') options.logger.warn({ fallback: options.mode, share: options.share }, 'shared cost bucket unreachable: per-replica buckets');
      if (state === 'closed') options.logger.info('shared cost bucket reachable again');
    });
  }

  /** Whether takes are going to the per-replica buckets (or failing, fail-closed) for want of the shared one. */
  get degraded(): boolean {
    return this.breaker.state !== 'closed';
  }

  async take(clientKey: string, cost: number, limits: BucketLimits): Promise<BucketState> {
    try {
      return await this.breaker.run(() => this.shared.take(clientKey, cost, limits));
    } catch (error) {
      if (this.options.mode === 'closed') throw error;
      const { share } = this.options;
      return this.local.take(clientKey, cost, { capacity: limits.capacity * share, restoreRate: limits.restoreRate * share });
    }
  }
}
