import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { clientTiers, type ClientTiers } from '../../policies/client-tiers.ts';
import type { Caller } from '../../platform/caller.ts';
import { operationLimitsPlugin } from '../limits/operation-limits-plugin.ts';
import { MemoryCostBucket } from '../rate-limit/memory-cost-bucket.ts';
import { costPlugin, type CostContext } from './cost-plugin.ts';
import { apiSchema, supergraphSchema } from './test-fixture.ts';

const appointment = (id: string) => ({ id, start: '2025-03-01T09:00:00Z' });
const ada = { id: 'p1', name: 'Ada', riskScore: 0.2, status: 'ACTIVE', appointments: [appointment('a1')] };
const grace = { id: 'p2', name: 'Grace', riskScore: 0.7, status: 'ACTIVE', appointments: [appointment('a2'), appointment('a3')] };
const withAppointments = (patient: typeof ada) => ({
  ...patient,
  appointments: ({ limit }: { limit: number }) => patient.appointments.slice(0, limit),
});

// graphql's default resolvers call functions found on the root value with the field's arguments.
const rootValue = {
  patients: ({ first }: { first: number }) => [ada, grace].slice(0, first).map(withAppointments),
  patientSearch: ({ filter }: { filter: { name?: string } }) => {
    const nodes = [ada, grace].filter((p) => p.name === filter.name);
    return { totalCount: nodes.length, nodes };
  },
  registerPatient: ({ input }: { input: { name: string } }) => ({ id: 'p3', name: input.name, status: 'ACTIVE' }),
};

const tiers: ClientTiers = {
  ...clientTiers,
  portal: { maxCostPerOperation: 100, capacity: 200, restoreRate: 10 },
  mobile: { maxCostPerOperation: 50, capacity: 200, restoreRate: 10 },
  partner: { maxCostPerOperation: 100, capacity: 100, restoreRate: 10 },
};

const callerOf = (clientId: string): Caller => ({ subject: randomUUID(), clientId, roles: [], scopes: [], expiresAt: 0 });

function serverWith(...plugins: ApolloServerPlugin<CostContext>[]) {
  // A frozen clock: the bucket restores nothing between requests, so every number below is exact.
  const cost = costPlugin({ schema: supergraphSchema, bucket: new MemoryCostBucket(() => 0), tiers });
  return new ApolloServer<CostContext>({ schema: apiSchema, rootValue, plugins: [...plugins, cost] });
}

async function run(server: ApolloServer<CostContext>, caller: Caller | null, query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, variables }, { contextValue: { caller } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors, extensions } = response.body.singleResult;
  return { status: response.http.status, headers: response.http.headers, data, error: errors?.[0], cost: extensions?.cost };
}

const PATIENTS_WITH_APPOINTMENTS = '{ patients(first: 5) { id name riskScore status appointments(limit: 3) { id start } } }';

describe('costPlugin', () => {
  it('reports the estimate and the actual cost of a nested list query', async () => {
    // Requested: patients is a list sliced by first: 5 → 5 × Patient.
    //   Patient = 1 (object) + id 0 + name 0 + riskScore 8 (@cost) + status 0 (enum)
    //           + appointments: sliced by limit: 3 → 3 × (Appointment @cost 2 + id 0 + start 0) = 6   → 15
    //   5 × 15 = 75; the Int arguments cost 0.                                                      → 75
    // Actual: two patients came back. Ada: 1 + 8 + one appointment 2 = 11; Grace: 1 + 8 + 2 × 2 = 13 → 24
    // Bucket: 200 − 75 taken + 51 unused given back                                                → 176
    const result = await run(serverWith(), callerOf('portal-web'), PATIENTS_WITH_APPOINTMENTS);
    expect(result.error).toBeUndefined();
    expect(result.cost).toEqual({
      requestedQueryCost: 75,
      actualQueryCost: 24,
      throttleStatus: { maximumAvailable: 200, currentlyAvailable: 176, restoreRate: 10 },
    });
  });

  it('sizes a connection by its slicing variable and charges input objects', async () => {
    // Requested: patientSearch returns one PatientConnection object → 1
    //   + totalCount 0 + nodes, a sized field of the connection: first = $first = 4 → 4 × Patient 1 = 4 → 5
    //   + filter, an input object: 1 + name 2 (@cost on the input field) + status 0 (enum) = 3
    //   + first 0                                                                           → 5 + 3 = 8
    // Actual: one match. Connection 1 + nodes 1 × 1 + filter 3                              → 5
    // Bucket: 200 − 8 + 3                                                                  → 195
    const query = `query Search($first: Int!) {
      patientSearch(filter: { name: "Ada", status: ACTIVE }, first: $first) { totalCount nodes { id name } }
    }`;
    const result = await run(serverWith(), callerOf('portal-web'), query, { first: 4 });
    expect(result.data).toEqual({ patientSearch: { totalCount: 1, nodes: [{ id: 'p1', name: 'Ada' }] } });
    expect(result.cost).toEqual({
      requestedQueryCost: 8,
      actualQueryCost: 5,
      throttleStatus: { maximumAvailable: 200, currentlyAvailable: 195, restoreRate: 10 },
    });
  });

  it('charges a mutation its operation cost, field weight and list argument', async () => {
    // Requested: mutation 10 + registerPatient @cost 5 (+ id 0 + status 0)            → 15
    //   + input, an input object: 1 + name 0
    //   + identifiers, a list with @cost 3: 3 for the list + 3 for each of its 2 items = 9 → 10
    //                                                                                  → 25
    // Actual: the same object came back                                                → 25
    // Bucket: 200 − 25, nothing unused                                                 → 175
    const query = 'mutation { registerPatient(input: { name: "Ada", identifiers: ["MRN-1", "MRN-2"] }) { id status } }';
    const result = await run(serverWith(), callerOf('portal-web'), query);
    expect(result.cost).toEqual({
      requestedQueryCost: 25,
      actualQueryCost: 25,
      throttleStatus: { maximumAvailable: 200, currentlyAvailable: 175, restoreRate: 10 },
    });
  });

  it("refuses an operation above the tier's maximum with COST_LIMIT_EXCEEDED and HTTP 400, charging nothing", async () => {
    const result = await run(serverWith(), callerOf('mobile-ios'), PATIENTS_WITH_APPOINTMENTS);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.error?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', requestedQueryCost: 75, maximumCost: 50 });
    expect(result.cost).toEqual({
      requestedQueryCost: 75,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 200, currentlyAvailable: 200, restoreRate: 10 },
    });
  });

  it('answers RATE_LIMITED with HTTP 429 and Retry-After once the bucket runs dry', async () => {
    const server = serverWith();
    const caller = callerOf('partner-acme-payer');
    // 100 → 76 → 52 (each run takes 75 and gives 51 back); 52 < 75 is refused: 23 points at 10 per second.
    await run(server, caller, PATIENTS_WITH_APPOINTMENTS);
    await run(server, caller, PATIENTS_WITH_APPOINTMENTS);
    const refused = await run(server, caller, PATIENTS_WITH_APPOINTMENTS);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(refused.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 2300 });
    expect(refused.cost).toMatchObject({ requestedQueryCost: 75, actualQueryCost: null, throttleStatus: { currentlyAvailable: 52 } });
    // Another user of the same client has a bucket of their own.
    expect((await run(server, callerOf('partner-acme-payer'), PATIENTS_WITH_APPOINTMENTS)).error).toBeUndefined();
  });

  it('does not charge an operation another plugin refused', async () => {
    const result = await run(serverWith(operationLimitsPlugin({ maxDepth: 1 })), callerOf('portal-web'), PATIENTS_WITH_APPOINTMENTS);
    expect(result.error?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(result.cost).toMatchObject({ requestedQueryCost: 75, actualQueryCost: null, throttleStatus: { currentlyAvailable: 200 } });
  });

  it('leaves a missing variable for execution to answer, and charges nothing for it', async () => {
    const query = 'query ($full: Boolean!) { patients(first: 1) { id riskScore @include(if: $full) } }';
    const result = await run(serverWith(), callerOf('portal-web'), query);
    expect(result.status).toBe(400);
    expect(result.error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.cost).toMatchObject({ requestedQueryCost: 9, actualQueryCost: null, throttleStatus: { currentlyAvailable: 200 } });
  });

  it('rejects a list without its required slicing argument with HTTP 400', async () => {
    const result = await run(serverWith(), null, '{ patientSearch(filter: { name: "Ada" }) { totalCount } }');
    expect(result.status).toBe(400);
    expect(result.error?.extensions?.code).toBe('BAD_USER_INPUT');
    // Anonymous callers share the anonymous tier's bucket.
    expect(result.cost).toEqual({
      requestedQueryCost: null,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 200, currentlyAvailable: 200, restoreRate: 10 },
    });
  });
});
