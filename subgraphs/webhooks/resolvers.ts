import { once } from '../../platform/database/idempotency.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { RequestScope } from '../../platform/subgraph/service.ts';
import { DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { cursorSealOf } from '../../platform/subgraph/cursors.ts';
import { pageSize } from '../../platform/validation.ts';
import { eventRetentionHoursFromEnv } from '../../platform/events/outbox-relay.ts';
import { WebhookEndpointStore } from '../../platform/webhooks/endpoint-store.ts';
import { newSigningSecret } from '../../platform/webhooks/signing-secret.ts';
import type { WebhooksContext } from './context.ts';
import { callerOf, managedEndpoint, organizationActedFor } from './organization-access.ts';
import { requireEndpointQuotas, validRegistration, type RegistrationInput } from './registration.ts';
import { serviceOperationsResolver, replayDeadLettersResolver } from '../../platform/subgraph/service-operations.ts';

type Context = WebhooksContext & RequestScope;

const isLogPosition = (value: unknown): value is { seq: string } => /^\d{1,19}$/.test(String((value as { seq?: unknown })?.seq));

// @authenticated, @requiresScopes and @policy are enforced by the gateway and again by the access
// rules; the organisation an endpoint belongs to is checked here.
export const resolvers = {
  DateTime: DateTimeScalar,
  WebhookEndpointStatus: { ACTIVE: 'active', DISABLED: 'disabled' },
  WebhookDisabledReason: { REQUESTED: 'requested', FAILING: 'failing', GONE: 'gone' },
  WebhookDeliveryStatus: { PENDING: 'pending', DELIVERED: 'delivered', FAILED: 'failed' },
  WebhookErrorKind: { TIMEOUT: 'timeout', CONNECTION_FAILED: 'connection_failed', TARGET_REFUSED: 'target_refused' },
  Query: {
    webhooksOperations: serviceOperationsResolver,
    failingWebhookDeliveries: (_: unknown, { first }: { first?: number | null }, { deliveries }: Context) => deliveries.failing(pageSize(first, 200)),
    webhookEndpoints: (_: unknown, { organizationId }: { organizationId?: string | null }, { caller, endpoints }: Context) =>
      endpoints.ofOrganization(organizationActedFor(callerOf(caller), organizationId)),
    async webhookDeliveries(
      _: unknown,
      args: { endpointId: string; first?: number | null; after?: string | null },
      { caller, db, endpoints, deliveries }: Context,
    ) {
      if (!(await managedEndpoint(endpoints, callerOf(caller), args.endpointId))) throw notFound('WebhookEndpoint', args.endpointId);
      const limit = pageSize(args.first, 100);
      const seal = await cursorSealOf(db);
      // A cursor continues one endpoint's log only.
      const boundTo = `webhookDeliveries:${args.endpointId}`;
      const after = args.after ? seal.open(args.after, boundTo, isLogPosition).seq : undefined;
      const found = await deliveries.attemptsOf(args.endpointId, limit + 1, after);
      const attempts = found.slice(0, limit);
      const last = attempts.at(-1);
      return { attempts, hasNextPage: found.length > limit, endCursor: last ? seal.seal({ seq: last.seq }, boundTo) : null };
    },
  },
  Mutation: {
    replayWebhooksDeadLetters: replayDeadLettersResolver,
    async registerWebhookEndpoint(
      _: unknown,
      { input, idempotencyKey }: { input: RegistrationInput; idempotencyKey?: string | null },
      { caller, db, targets, endpoints }: Context,
    ) {
      const registrant = callerOf(caller);
      const request = { ...validRegistration(input, registrant, targets), registeredBy: registrant.subject };
      const id = await db.transaction((tx) =>
        once(tx, { key: idempotencyKey, caller, operation: 'registerWebhookEndpoint' }, request, async () => {
          const store = new WebhookEndpointStore(tx);
          await requireEndpointQuotas(store, request);
          return store.register({ ...request, secret: request.secret ?? newSigningSecret() });
        }),
      );
      return { ...(await endpoints.byId(id)), secret: await endpoints.secretOf(id) };
    },
    async disableWebhookEndpoint(_: unknown, { id }: { id: string }, { caller, endpoints }: Context) {
      const endpoint = await managedEndpoint(endpoints, callerOf(caller), id);
      if (!endpoint) throw notFound('WebhookEndpoint', id);
      return (await endpoints.disable(id, 'requested')) ?? endpoint;
    },
    async enableWebhookEndpoint(_: unknown, { id }: { id: string }, { caller, db, endpoints, scope }: Context) {
      const endpoint = await managedEndpoint(endpoints, callerOf(caller), id);
      if (!endpoint) throw notFound('WebhookEndpoint', id);
      if (endpoint.status === 'active') return endpoint;
      scope.acted('enableWebhookEndpoint', id);
      return (
        (await db.transaction(async (tx) => {
          const store = new WebhookEndpointStore(tx);
          // Disabling is no way around the caps: enabling counts like registering.
          await requireEndpointQuotas(store, endpoint);
          return store.enable(id, eventRetentionHoursFromEnv());
        })) ?? endpoint
      );
    },
    async redeliverWebhook(_: unknown, { deliveryId }: { deliveryId: string }, { caller, endpoints, deliveries, scope }: Context) {
      const delivery = await deliveries.byId(deliveryId);
      const endpoint = delivery && (await managedEndpoint(endpoints, callerOf(caller), delivery.endpointId));
      if (!endpoint) throw notFound('WebhookDelivery', deliveryId);
      if (endpoint.status !== 'active') throw conflict('ENDPOINT_DISABLED', 'The delivery belongs to a disabled endpoint', { endpointId: endpoint.id });
      scope.acted('redeliverWebhook', deliveryId);
      return deliveries.requeue(deliveryId);
    },
  },
  WebhookDelivery: {
    lastAttempt: ({ id }: { id: string }, _: unknown, { deliveries }: Context) => deliveries.lastAttemptOf(id),
  },
};
