import { randomUUID } from 'node:crypto';
import type { GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { Disclosures } from '../../platform/audit/disclosures.ts';
import type { Caller } from '../../platform/caller.ts';
import type { Logger } from '../../platform/logger.ts';
import type { TraceContext } from '../../platform/observability/tracing.ts';
import type { GatewayContext } from '../context.ts';

/** The part of the gateway's ApolloServer the hub uses: in-process operations, through every plugin. */
export interface GatewayOperations {
  executeOperation(request: { query: string; variables: Record<string, unknown> }, options: { contextValue: GatewayContext }): Promise<GraphQLResponse>;
}

export interface GatewayRead {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * A query as `caller`, answered as over HTTP: authorization, row rules, minimization and the access
 * record all apply. `trace`: the event's, when the read is for one event.
 */
export type ReadAs = (caller: Caller, query: string, variables: Record<string, unknown>, trace?: TraceContext) => Promise<GatewayRead>;

export function readsThrough(apollo: GatewayOperations, logger: Logger): ReadAs {
  return async (caller, query, variables, trace) => {
    const requestId = randomUUID();
    // A fresh context each time: plugins write their findings into it.
    const response = await apollo.executeOperation({ query, variables }, { contextValue: { requestId, logger: logger.child({ requestId }), caller, disclosures: new Disclosures(), eventRead: true, trace } });
    if (response.body.kind !== 'single') throw new Error('The gateway answered an entity read incrementally');
    return response.body.singleResult;
  };
}

/** Errors that mean the caller may not see the entity, as opposed to not getting it this time. */
export const isDenial = (error: GraphQLFormattedError) => error.extensions?.code === 'FORBIDDEN' || error.extensions?.code === 'UNAUTHENTICATED';
