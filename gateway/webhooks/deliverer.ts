import { hostname } from 'node:os';
import type { ConsumeOptions, EventLog } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import type { Logger } from '../../platform/logger.ts';
import { WEBHOOKS_GROUP } from '../../platform/webhooks/model.ts';
import type { WebhookStores } from '../../platform/webhooks/stores.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { deliveryPolicyFromEnv, type DeliveryPolicy } from './delivery-policy.ts';
import { queueDeliveries } from './delivery-queue.ts';
import { startDispatcher } from './dispatcher.ts';
import type { ResolveFor } from './organization-view.ts';


export interface WebhookDelivererOptions {
  eventLog: EventLog;
  store: WebhookStores;
  /** The endpoint organisation's view of an event; see ResolveFor. */
  resolveFor: ResolveFor;
  logger: Logger;
  /** Where webhooks may go: loopback only in embedded mode and tests. */
  targets: TargetPolicy;
  /** This replica in the consumer group; host and process by default. */
  consumer?: string;
  delivery?: Partial<DeliveryPolicy>;
  /** The group's retries of an event whose view could not be resolved, before it is dead-lettered (replayable). */
  consume?: ConsumeOptions;
}

/** About a minute and a half of retries before an event is dead-lettered: a gateway restart is waited out. */
const consumeDefaults: ConsumeOptions = { maxAttempts: 8, backoff: { initialMs: 1_000, maxMs: 30_000 } };

/**
 * The webhook deliverer: a member of the `webhooks` consumer group turning events into deliveries,
 * and a dispatcher sending the deliveries due, with their schedule in the store.
 */
export function startWebhookDeliverer(options: WebhookDelivererOptions): RunningLoop {
  const logger = options.logger.child({ component: 'webhooks' });
  const consumer = options.consumer ?? `${hostname()}-${process.pid}`;
  const queueing = options.eventLog.consume(WEBHOOKS_GROUP, consumer, queueDeliveries(options.store, options.resolveFor), {
    ...consumeDefaults,
    ...options.consume,
  });
  const dispatching = startDispatcher(options.store.deliveries, { ...deliveryPolicyFromEnv(), ...options.delivery }, options.targets, logger);
  return {
    async close() {
      await queueing.close();
      await dispatching.close();
    },
  };
}
