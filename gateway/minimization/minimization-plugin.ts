import type { GraphQLSchema } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Caller } from '../../platform/caller.ts';
import type { MinimizationPolicy } from '../../policies/minimization.ts';
import { minimize } from './minimize.ts';
import { rulesNotFitting } from './rule-fit.ts';

export interface MinimizationContext {
  caller: Caller | null;
}

export interface MinimizationPluginOptions {
  /** The API schema the operations are validated against. */
  schema: GraphQLSchema;
  rules: MinimizationPolicy;
}

/**
 * Minimizes every result the gateway sends, by the caller's roles and purpose of use (Apollo
 * Server wraps whatever a gateway executes as a single result: there is no incremental one).
 * It walks `requestContext.document`, the operation as executed: fields another plugin removed
 * are simply absent from the data. Rules that would break the schema's types are refused at start.
 */
export function minimizationPlugin({ schema, rules }: MinimizationPluginOptions): ApolloServerPlugin<MinimizationContext> {
  const problems = rulesNotFitting(schema, rules);
  if (problems.length > 0) throw new Error(`Minimization rules do not fit the schema:\n${problems.join('\n')}`);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, operationName, contextValue }) {
          if (response.body.kind !== 'single' || !document) return;
          const result = response.body.singleResult;
          result.data = minimize(document, operationName ?? null, result.data, contextValue.caller, schema, rules);
        },
      };
    },
  };
}
