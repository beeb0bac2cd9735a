import type { ApolloServerPlugin } from '@apollo/server';
import { authorizationDenials, costRefusals, rateLimitRefusals } from '../platform/observability/metrics.ts';
import { operationMetricsPlugin } from '../platform/observability/operation-metrics-plugin.ts';
import { tierNameForClient } from '../policies/client-tiers.ts';
import type { AuthorizationContext } from './authorization/authorization-plugin.ts';
import type { GatewayContext } from './context.ts';

/**
 * The gateway's metrics: every operation (requests, errors, latency by operation name), and what the
 * pipeline refused, by client tier (cost, rate limit) and by the field whose rule denied it. Last in
 * the pipeline, so it sees the response as it leaves.
 */
export function metricsPlugin(): ApolloServerPlugin<GatewayContext> {
  const operations = operationMetricsPlugin<GatewayContext>('gateway');
  return {
    async requestDidStart(started) {
      const measured = await operations.requestDidStart!(started);
      return {
        async willSendResponse(context) {
          await measured?.willSendResponse?.(context);
          const { caller, authorization } = context.contextValue as GatewayContext & AuthorizationContext;
          const tier = tierNameForClient(caller?.clientId ?? null);
          const errors = context.response.body.kind === 'single' ? (context.response.body.singleResult.errors ?? []) : [];
          const codes = new Set(errors.map((error) => error.extensions?.code));
          if (codes.has('COST_LIMIT_EXCEEDED')) costRefusals.inc({ tier });
          if (codes.has('RATE_LIMITED')) rateLimitRefusals.inc({ tier });
          for (const { coordinate } of authorization?.denied ?? []) authorizationDenials.inc({ field: coordinate });
        },
      };
    },
  };
}
