import { randomUUID } from 'node:crypto';
import type { GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import { Disclosures } from '../../platform/audit/disclosures.ts';
import type { Caller } from '../../platform/caller.ts';
import type { Logger } from '../../platform/logger.ts';
import type { TraceContext } from '../../platform/observability/tracing.ts';
import type { GatewayContext } from '../context.ts';
import { ReadRecords } from './held-reads.ts';

/** The part of the gateway's ApolloServer the hub uses: in-process operations, through every plugin. */
export interface GatewayOperations {
  executeOperation(request: { query: string; variables: Record<string, unknown> }, options: { contextValue: GatewayContext }): Promise<GraphQLResponse>;
}

export interface GatewayRead {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  /** Its access records, when held for the deliveries to write (readsThrough's `holdRecords`). */
  held?: ReadRecords;
}

/**
 * A query as `caller`, answered as over HTTP: authorization, row rules, minimization and the access
 * record all apply. `trace`: the event's, when the read is for one event.
 */
export type ReadAs = (caller: Caller, query: string, variables: Record<string, unknown>, trace?: TraceContext) => Promise<GatewayRead>;

/**
 * `holdRecords`: for reads whose answers leave only in subscription deliveries, which put the
 * read's access records on record with their own (held-reads.ts); the read then waits for no commit.
 */
export function readsThrough(apollo: GatewayOperations, logger: Logger, { holdRecords = false } = {}): ReadAs {
  return async (caller, query, variables, trace) => {
    const requestId = randomUUID();
    let held: ReadRecords | undefined;
    const hold = holdRecords ? (records: AccessRecord[]) => void (held = new ReadRecords(records)) : undefined;
    // A fresh context each time: plugins write their findings into it.
    const contextValue = { requestId, logger: logger.child({ requestId }), caller, disclosures: new Disclosures(), eventRead: true as const, trace, holdRecords: hold };
    const response = await apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('The gateway answered an entity read incrementally');
    return held ? { ...response.body.singleResult, held } : response.body.singleResult;
  };
}

/** Errors that mean the caller may not see the entity, as opposed to not getting it this time. */
export const isDenial = (error: GraphQLFormattedError) => error.extensions?.code === 'FORBIDDEN' || error.extensions?.code === 'UNAUTHENTICATED';
