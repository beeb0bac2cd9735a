import { expect } from 'vitest';
import type { EventLog } from '../../platform/events/event-log.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { demoAnchor, seedAppointments, type Encounter } from '../../subgraphs/appointments/demo-seed.ts';
import { appointmentsSubgraph } from '../../subgraphs/appointments/subgraph.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';
import { adminCaller, gatewayStandIn } from '../support/gateway-stand-in.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';

const DAY = 86_400_000;

/**
 * Monday 00:00 UTC of this week, as `npm start` seeds it: the seeded slots run from two weeks before it
 * to two weeks after, and before it is the seeded past. The seed is the same every week, a week later.
 */
export const ANCHOR = demoAnchor();
/** The ISO instant `days` after the anchor's (before it when negative). */
export const anchorDay = (days: number) => new Date(ANCHOR.getTime() + days * DAY).toISOString();
/** The anchor's date `days` later (earlier when negative), as a `Date` scalar: `2026-12-09`. */
export const anchorDate = (days: number) => anchorDay(days).slice(0, 10);
/**
 * The seeded future that is still to come whatever the weekday and hour: the week after the anchor's.
 * (The anchor's week is seeded as future too, but runs out by Friday evening.) Its first slot, Monday
 * 09:00, is at least nine hours away, so a slot picked from it has not started by the time it is booked.
 */
export const FUTURE = { from: anchorDay(7), to: anchorDay(14) };
/** The patients the seed spreads its appointments over: each has a past and many appointments to come. */
export const PATIENT_IDS = Array.from({ length: 40 }, (_, n) => `pat-${String(n + 1).padStart(4, '0')}`);
/**
 * Patients the seed gives no appointments, for tests that book: a seeded patient holds up to 13
 * appointments in the week after the anchor's alone, over the quota of appointments to come.
 */
export const newPatientId = (n: number) => `pat-${String(101 + (n % 100)).padStart(4, '0')}`;

export interface SeededAppointments {
  subgraph: RunningSubgraph;
  encounters: Encounter[];
  /** A GraphQL call over HTTP; fails the test if any error carries a stack trace. */
  call(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Ids of free slots in FUTURE, in time order. */
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
