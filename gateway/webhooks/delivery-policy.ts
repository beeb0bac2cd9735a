import { setting } from '../../platform/config.ts';
import { backoffDelay, type Backoff } from '../../platform/events/backoff.ts';

export interface DeliveryPolicy {
  /** How long a receiver has to answer; Standard Webhooks recommends 15 to 30 s. */
  timeoutMs: number;
  /** Attempts of one delivery (a round; a redelivery starts another) before it is given up as failed. */
  maxAttempts: number;
  /** Between attempts: doubling from `initialMs` up to `maxMs`. */
  retry: Backoff;
  /**
   * How long every attempt to an endpoint may fail, across its deliveries, before it is disabled
   * (WEBHOOK_DISABLE_AFTER_SECONDS): a burst during a short outage never disables it.
   */
  disableAfterMs: number;
  /** Attempts in flight at once, per deliverer. */
  concurrency: number;
  /** The longest a due retry waits when nothing in this process woke the deliverer. */
  pollIntervalMs: number;
}

/** Twelve attempts over about a day: 30 s, 1 min, 2 min... then every 8 h. */
export const deliveryDefaults: DeliveryPolicy = {
  timeoutMs: 15_000,
  maxAttempts: 12,
  retry: { initialMs: 30_000, maxMs: 8 * 3_600_000 },
  disableAfterMs: 86_400_000,
  concurrency: 10,
  pollIntervalMs: 1_000,
};

/** The defaults with WEBHOOK_DISABLE_AFTER_SECONDS (a day by default). */
export const deliveryPolicyFromEnv = (): DeliveryPolicy => ({
  ...deliveryDefaults,
  disableAfterMs: setting('WEBHOOK_DISABLE_AFTER_SECONDS') * 1_000,
});

/** Up to a tenth less at random, so the retries of deliveries that failed together spread out. */
const JITTER = 0.1;

/** After the `round`th failed attempt of the round: the delay to the next one, or null when the round is over. */
export function nextRetryInMs({ maxAttempts, retry }: DeliveryPolicy, round: number): number | null {
  return round >= maxAttempts ? null : Math.round(backoffDelay(retry, round) * (1 - Math.random() * JITTER));
}
