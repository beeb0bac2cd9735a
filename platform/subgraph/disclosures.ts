import type { ApolloServerPlugin } from '@apollo/server';
import { DISCLOSURES_EXTENSION } from '../audit/disclosures.ts';
import type { RowScope } from './row-scope.ts';

/**
 * Adds the request's disclosure report to the response: whose rows its stores released and
 * refused. Sent on every response that touched patient rows, errors included (a mutation that
 * failed after reading still read).
 */
export function disclosurePlugin(): ApolloServerPlugin<{ scope: RowScope }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const disclosures = contextValue.scope?.disclosures;
          if (!disclosures || response.body.kind !== 'single') return;
          if (disclosures.empty) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [DISCLOSURES_EXTENSION]: disclosures.report() };
        },
      };
    },
  };
}
