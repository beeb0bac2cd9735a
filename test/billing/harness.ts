import { expect } from 'vitest';
import type { ConsumeOptions, EventLog } from '../../platform/events/event-log.ts';
import { newId } from '../../platform/ids.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { noteAppointments } from '../../subgraphs/billing/billable-appointments.ts';
import { seedPayers } from '../../subgraphs/billing/demo-seed.ts';
import { SimulatedPayer } from '../../subgraphs/billing/payers/simulated-payer.ts';
import { billingSubgraphWith } from '../../subgraphs/billing/subgraph.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';
import { adminCaller, gatewayStandIn } from '../support/gateway-stand-in.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';

export const CHARGE_FIELDS = 'id code description amount { value currency } status capturedAt appointment { id } patient { id }';
export const CLAIM_FIELDS = 'id status memberId total { value } approvedAmount { value } denialReason submittedAt adjudicatedAt payer { id name } patient { id } charges { id }';
export const INVOICE_FIELDS = 'id number status issuedAt dueDate total { value } paid { value } balance { value } patient { id } lines { description amount { value } charge { id status } } payments { id amount { value } method }';

export const OPERATIONS = {
  capture: `mutation($input: CaptureChargesInput!, $key: String) { result: captureCharges(input: $input, idempotencyKey: $key) { ${CHARGE_FIELDS} } }`,
  createClaim: `mutation($input: CreateClaimInput!, $key: String) { result: createClaim(input: $input, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`,
  submitClaim: `mutation($claimId: ID!) { result: submitClaim(claimId: $claimId) { ${CLAIM_FIELDS} } }`,
  adjudicate: `mutation($input: RecordAdjudicationInput!) { result: recordAdjudication(input: $input) { ${CLAIM_FIELDS} } }`,
  issueInvoice: `mutation($patientId: ID!, $chargeIds: [ID!], $key: String) { result: issueInvoice(patientId: $patientId, chargeIds: $chargeIds, idempotencyKey: $key) { ${INVOICE_FIELDS} } }`,
  postPayment: `mutation($input: PostPaymentInput!, $key: String) { result: postPayment(input: $input, idempotencyKey: $key) { id amount { value currency } method reference receivedAt invoice { id status paid { value } balance { value } } } }`,
  patient: `query($id: ID!) { _entities(representations: [{ __typename: "Patient", id: $id }]) { ... on Patient { balance { value currency } claims { id status } invoices { id status } } } }`,
};

/** Messages a caller sees never carry a stack trace or the database's words. */
const LEAK = /\n\s+at |\.ts:\d+|\b(SELECT|INSERT|UPDATE|DELETE) |relation "|violates|duplicate key|syntax error/;

export const reasonOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.reason as string | undefined;

export interface Visit {
  appointmentId: string;
  patientId: string;
}

export const newVisit = (patientId = newId('pat')): Visit => ({ appointmentId: newId('apt'), patientId });

export interface BillingService {
  subgraph: RunningSubgraph;
  /** The adapter behind the subgraph: switch `available` off for an outage. */
  payer: SimulatedPayer;
  /** A GraphQL call over HTTP; fails the test if an error leaks a stack trace or SQL. */
  call(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** A mutation or query that must succeed: its `result` field. */
  result(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** The visit as billing knows it once appointments announced its encounter completed. */
  completed(visit: Visit): Promise<Visit>;
  /** Captures charges on the visit, completed first. */
  capture(visit: Visit, codes: string[]): Promise<Array<{ id: string; amount: { value: number } }>>;
  /** A single value from the subgraph's own tables. */
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** An event log for the subgraph's outbox and workers, and how the workers retry. */
export interface BillingEvents {
  eventLog: EventLog;
  reactions?: ConsumeOptions;
}

/**
 * The billing subgraph on its own schema, with the demo payers and fee schedule and a simulated
 * payer without latency, called as the gateway calls it.
 */
export async function startBilling(url: string | undefined, events?: BillingEvents): Promise<BillingService> {
  const schema = uniqueName('billing');
  const payer = new SimulatedPayer({ latencyMs: 0 });
  const gateway = await gatewayStandIn();
  const subgraph = await startSubgraph(billingSubgraphWith(payer, events?.reactions), {
    port: 0,
    database: { url, schema },
    gatewayPublicKey: gateway.publicKey,
    eventLog: events?.eventLog,
  });
  await seedPayers(subgraph.database);
  const call = async (query: string, variables?: Record<string, unknown>) => {
    const response = await graphql(subgraph.url, query, variables, await gateway.headersFor(adminCaller));
    for (const error of response.errors ?? []) {
      expect(error.message).not.toMatch(LEAK);
      expect(error.extensions?.stacktrace).toBeUndefined();
    }
    return response;
  };
  const completed = async (visit: Visit) => {
    await noteAppointments(subgraph.database, [{ ...visit, status: 'FULFILLED' }]);
    return visit;
  };
  const result = async (query: string, variables?: Record<string, unknown>) => {
    const response = await call(query, variables);
    expect(response.errors).toBeUndefined();
    return response.data!.result;
  };
  return {
    subgraph,
    payer,
    call,
    result,
    completed,
    async capture(visit, codes) {
      await completed(visit);
      return result(OPERATIONS.capture, { input: { ...visit, codes } });
    },
    async count(sql, params) {
      const [row] = await subgraph.database.query(sql, params);
      return Number(Object.values(row!)[0]);
    },
    async close() {
      await subgraph.close();
      await dropSchemas(url, schema);
    },
  };
}
