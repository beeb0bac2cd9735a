import type { Logger } from '../../platform/logger.ts';
import { webhookDeliveries } from '../../platform/observability/metrics.ts';
import { contextFrom, inSpan, SpanKind } from '../../platform/observability/tracing.ts';
import type { DueDelivery, WebhookDeliveryStore } from '../../platform/webhooks/delivery-store.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { nextRetryInMs, type DeliveryPolicy } from './delivery-policy.ts';
import { signedHeaders } from './signature.ts';
import { postWebhook } from './webhook-request.ts';

/**
 * Sends one attempt of a delivery and records it: delivered on a 2xx, otherwise retried on the
 * schedule; 410 Gone disables the endpoint. Logs ids, status and timing, never the body or the URL
 * (a partner's URL may hold a token).
 */
export async function attemptDelivery(
  delivery: DueDelivery,
  policy: DeliveryPolicy,
  targets: TargetPolicy,
  deliveries: WebhookDeliveryStore,
  logger: Logger,
): Promise<void> {
  const { id: deliveryId, endpointId, eventId } = delivery;
  // A span of the event's trace, whichever replica sends it and however long after.
  await inSpan(
    'webhook deliver',
    {
      kind: SpanKind.CLIENT,
      parent: contextFrom({ traceparent: delivery.traceparent ?? undefined }),
      attributes: { 'healthgraph.service': 'webhooks', 'messaging.message.id': eventId, 'healthgraph.webhook.delivery_id': deliveryId, 'healthgraph.webhook.endpoint_id': endpointId, 'healthgraph.attempt': delivery.attempts + 1 },
    },
    () => attempt(delivery, policy, targets, deliveries, logger),
  );
}

async function attempt(delivery: DueDelivery, policy: DeliveryPolicy, targets: TargetPolicy, deliveries: WebhookDeliveryStore, logger: Logger): Promise<void> {
  const at = new Date();
  const headers = signedHeaders(delivery.secret, delivery.id, delivery.body, at);
  const result = await postWebhook(delivery.url, headers, delivery.body, policy.timeoutMs, targets);
  const succeeded = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
  const endpointGone = result.statusCode === 410;
  const round = delivery.attempts + 1 - delivery.attemptsBeforeRequeue;
  const retryInMs = succeeded || endpointGone ? null : nextRetryInMs(policy, round);
  const disabled = await deliveries.recordAttempt({ delivery, at, ...result, succeeded, retryInMs, endpointGone }, policy.disableAfterMs);
  webhookDeliveries.inc({ outcome: succeeded ? 'delivered' : endpointGone ? 'endpoint_gone' : 'failed' });
  const { id: deliveryId, endpointId, eventId } = delivery;
  logger.info(
    { deliveryId, endpointId, eventId, attempt: delivery.attempts + 1, statusCode: result.statusCode, errorKind: result.errorKind, durationMs: result.durationMs, retryInMs },
    succeeded ? 'webhook delivered' : 'webhook attempt failed',
  );
  if (disabled) logger.warn({ endpointId, reason: disabled }, 'webhook endpoint disabled');
}
