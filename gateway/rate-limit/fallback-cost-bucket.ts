import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
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
  /** Consecutive failures of the shared bucket that open the circuit. */
  failuresToOpen?: number;
  /** How long an open circuit waits before trying the shared bucket again. */
  retryAfterMs?: number;
  logger: Logger;
}

/**
 * The shared bucket behind a circuit breaker. While it fails (Redis down, or stalled), takes go to
 * buckets in this process with a conservative share of the budget (fail-open), or fail (fail-closed),
 * at once: no request waits for a Redis that is away. Closing the circuit again is logged too.
 */
export class FallbackCostBucket implements CostBucket {
  private readonly local = new MemoryCostBucket();
  private readonly breaker;

  constructor(
    private readonly shared: CostBucket,
    private readonly options: FallbackOptions,
  ) {
    this.breaker = circuitBreaker(handleAll, { halfOpenAfter: options.retryAfterMs ?? 1_000, breaker: new ConsecutiveBreaker(options.failuresToOpen ?? 3) });
    this.breaker.onBreak(() => options.logger.warn({ fallback: options.mode, share: options.share }, 'shared cost bucket unreachable: per-replica buckets'));
    this.breaker.onReset(() => options.logger.info('shared cost bucket reachable again'));
    this.breaker.onStateChange((state) => costBucketFallback.set(state === CircuitState.Closed ? 0 : 1));
  }

  /** Whether takes are going to the per-replica buckets (or failing, fail-closed) for want of the shared one. */
  get degraded(): boolean {
    return this.breaker.state !== CircuitState.Closed;
  }

  async take(clientKey: string, cost: number, limits: BucketLimits): Promise<BucketState> {
    try {
      return await this.breaker.execute(() => this.shared.take(clientKey, cost, limits));
    } catch (error) {
      if (this.options.mode === 'closed') throw error;
      const { share } = this.options;
      return this.local.take(clientKey, cost, { capacity: limits.capacity * share, restoreRate: limits.restoreRate * share });
    }
  }
}
