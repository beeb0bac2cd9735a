import type { DomainEvent } from '../../platform/events/envelope.ts';
import type { EventHandler } from '../../platform/events/event-log.ts';
import type { WebhookStores } from '../../platform/webhooks/stores.ts';
import { organizationCaller, type ResolveFor } from './organization-view.ts';

/** The Standard Webhooks payload shape: type, the event's time, and its data as the organisation sees it. */
const webhookBody = (event: DomainEvent, data: unknown) => JSON.stringify({ id: event.id, type: event.type, timestamp: event.time, data });

/**
 * Queues a delivery of the event to each endpoint that asked for its type and whose organisation
 * may see it (a disabled endpoint's is held until it is enabled again); the organisation's view is resolved once for all its endpoints. A
 * failure (the view could not be resolved) fails the event, which the consumer group retries; the
 * endpoints already queued are not queued twice.
 */
export function queueDeliveries({ endpoints, deliveries }: WebhookStores, resolveFor: ResolveFor): EventHandler {
  return async ({ event }) => {
    const views = new Map<string, unknown>();
    for (const endpoint of await endpoints.subscribedTo(event.type)) {
      const { organizationId } = endpoint;
      if (!views.has(organizationId)) views.set(organizationId, await resolveFor(organizationCaller(organizationId), event));
      const data = views.get(organizationId);
      if (data !== null && data !== undefined) await deliveries.enqueue(endpoint.id, event, webhookBody(event, data));
    }
  };
}
