import { pause } from '../../platform/events/backoff.ts';
import { describeFailure } from '../../platform/events/failure.ts';
import { runLoop, type RunningLoop } from '../../platform/events/loop.ts';
import type { Logger } from '../../platform/logger.ts';
import { onDeliveryQueued, type WebhookDeliveryStore } from '../../platform/webhooks/delivery-store.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { attemptDelivery } from './delivery-attempt.ts';
import type { DeliveryPolicy } from './delivery-policy.ts';

/** A lease outlasts the attempt it covers, recording included. */
const LEASE_MARGIN_MS = 60_000;
const STORE_BACKOFF = { initialMs: 100, maxMs: 30_000 };

/**
 * Keeps up to `concurrency` attempts in flight, taking due deliveries from the store as slots free
 * up, when a delivery is queued in this process, or every `pollIntervalMs` (retries falling due,
 * deliveries queued by another replica). Closing waits for the attempts in flight.
 */
export function startDispatcher(deliveries: WebhookDeliveryStore, policy: DeliveryPolicy, targets: TargetPolicy, logger: Logger): RunningLoop {
  const inFlight = new Set<Promise<void>>();
  let wake = new AbortController();
  const stopListening = onDeliveryQueued(() => wake.abort());
  const leaseMs = policy.timeoutMs + LEASE_MARGIN_MS;

  function track(attempt: Promise<void>): void {
    const tracked = attempt
      .catch((error: unknown) => {
        logger.warn({ code: describeFailure(error).code }, 'webhook attempt not recorded; it is due again when its lease ends');
      })
      .finally(() => {
        inFlight.delete(tracked);
        wake.abort();
      });
    inFlight.add(tracked);
  }

  const loop = runLoop('webhook dispatcher', logger, STORE_BACKOFF, async (signal) => {
    // A wake-up arriving from here on is kept for the pause below.
    wake = new AbortController();
    const free = policy.concurrency - inFlight.size;
    if (free > 0) {
      for (const due of await deliveries.claimDue(free, leaseMs)) track(attemptDelivery(due, policy, targets, deliveries, logger));
    }
    await pause(policy.pollIntervalMs, AbortSignal.any([signal, wake.signal]));
  });
  return {
    async close() {
      stopListening();
      await loop.close();
      await Promise.all(inFlight);
    },
  };
}
