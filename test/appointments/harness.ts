import { expect } from 'vitest';
import type { EventLog } from '../../platform/events/event-log.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { seedAppointments, type Encounter } from '../../subgraphs/appointments/demo-seed.ts';
import { appointmentsSubgraph } from '../../subgraphs/appointments/subgraph.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';
import { adminCaller, gatewayStandIn } from '../support/gateway-stand-in.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';

/** A Monday: the seeded slots run from 2026-11-09 to 2026-12-04, and before it is the past. */
export const ANCHOR = new Date('2026-11-23T00:00:00Z');
export const PATIENT_IDS = Array.from({ length: 40 }, (_, n) => `pat-${String(n + 1).padStart(4, '0')}`);
/** The seeded future: the two weeks after the anchor. */
export const FUTURE = { from: '2026-11-23T00:00:00Z', to: '2026-12-07T00:00:00Z' };

export interface SeededAppointments {
  subgraph: RunningSubgraph;
  encounters: Encounter[];
  /** A GraphQL call over HTTP; fails the test if any error carries a stack trace. */
  call(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Ids of free slots now, in time order. */
  freeSlots(count: number, filter?: Record<string, string>): Promise<string[]>;
  close(): Promise<void>;
}

function expectNoStackTrace(response: GraphQLResponse): void {
  for (const error of response.errors ?? []) {
    expect(error.extensions?.stacktrace).toBeUndefined();
    expect(error.message).not.toMatch(/\n\s+at |\.ts:\d+/);
  }
}

/** The appointments subgraph on its own schema, seeded with the demo month; relaying its outbox to `eventLog` when given. */
export async function startSeededAppointments(url: string | undefined, eventLog?: EventLog): Promise<SeededAppointments> {
  const schema = uniqueName('appointments');
  const gateway = await gatewayStandIn();
  const subgraph = await startSubgraph(appointmentsSubgraph, { port: 0, database: { url, schema }, gatewayPublicKey: gateway.publicKey, eventLog });
  const headers = await gateway.headersFor(adminCaller);
  const { encounters } = await seedAppointments(subgraph.database, { patientIds: PATIENT_IDS, anchor: ANCHOR });
  const call = async (query: string, variables?: Record<string, unknown>) => {
    const response = await graphql(subgraph.url, query, variables, headers);
    expectNoStackTrace(response);
    return response;
  };
  return {
    subgraph,
    encounters,
    call,
    async freeSlots(count, filter) {
      const { data } = await call('query($filter: SlotFilter, $from: DateTime!, $to: DateTime!, $first: Int) { availableSlots(filter: $filter, from: $from, to: $to, first: $first) { id } }', {
        ...FUTURE,
        filter,
        first: count,
      });
      return data!.availableSlots.map((slot: { id: string }) => slot.id);
    },
    async close() {
      await subgraph.close();
      await dropSchemas(url, schema);
    },
  };
}
