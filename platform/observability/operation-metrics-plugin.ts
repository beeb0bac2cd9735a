import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { graphqlDuration, graphqlErrors, graphqlRequests } from './metrics.ts';
import { errorCodeLabel, operationLabel } from './operation-label.ts';

/** Requests, errors (per code) and latency of every GraphQL operation a service answers, per operation name. */
export function operationMetricsPlugin<TContext extends BaseContext>(service: string): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response }) {
          const operation = operationLabel(operationName);
          graphqlRequests.inc({ service, operation });
          graphqlDuration.observe({ service, operation }, (performance.now() - started) / 1000);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const code of new Set(errors.map((error) => errorCodeLabel(error.extensions?.code)))) {
            graphqlErrors.inc({ service, operation, code });
          }
        },
      };
    },
  };
}
