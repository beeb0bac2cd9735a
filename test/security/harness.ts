import { randomUUID } from 'node:crypto';
import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import type { RunningSystem, SystemOptions } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import type { AuditEvent } from '../../platform/audit/access-record.ts';
import type { Database } from '../../platform/database/database.ts';
import { accessRecordsOfRequest } from '../support/access-records.ts';
import { dropSystemSchemas, uniqueName } from '../support/databases.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

/** A response with the request id it was sent under (the access record's key). */
export interface Answer extends GraphQLResponse {
  requestId: string;
}

/** One caller's calls to the gateway, each under a fresh `x-request-id`. */
export type Call = (query: string, variables?: Record<string, unknown>) => Promise<Answer>;

export const newRequestId = () => `sec-${randomUUID()}`;

/**
 * The whole system on the seeded demo data, as an insider meets it: the one gateway endpoint and
 * tokens from the embedded issuer (`npm run token`). The databases are there for the test to pick
 * its targets and to check what changed, never to act.
 */
export interface SeededSystem {
  system: RunningSystem;
  url: string;
  /** Calls as a token the embedded issuer grants for `request`. */
  as(request: TokenRequest): Promise<Call>;
  db: { patients: Database; appointments: Database; billing: Database; audit: Database; webhooks: Database };
  /** The access records of a request, as stored in the trail. */
  recordsOf(requestId: string): Promise<AuditEvent[]>;
  /** Shuts the system down as an operator would, keeping its databases (PostgreSQL). */
  stop(): Promise<void>;
  /** Stops it if running, and drops its schemas. */
  close(): Promise<void>;
}

/** On PGlite by default; on PostgreSQL (every subgraph, the audit trail included) with `databaseUrl`; `bundledOdoo` picks the Odoo version the stand-in behaves as. */
export async function startSeededSystem(options: Partial<Pick<SystemOptions, 'databaseUrl' | 'dataDir' | 'bundledOdoo'>> = {}): Promise<SeededSystem> {
  const schemaPrefix = options.databaseUrl ? `${uniqueName('sec')}_` : undefined;
  const system = await startTestSystem({ gatewayPort: 0, seedDemoData: true, schemaPrefix, ...options });
  const { subgraphs } = system;
  const url = system.gateway.url;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= system.close());
  return {
    system,
    url,
    async as(request) {
      const authorization = await bearerFor(request, options.dataDir);
      return async (query, variables) => {
        const requestId = newRequestId();
        return { ...(await graphql(url, query, variables, { ...authorization, 'x-request-id': requestId })), requestId };
      };
    },
    db: {
      patients: subgraphs.patients.database,
      appointments: subgraphs.appointments.database,
      billing: subgraphs.billing.database,
      audit: subgraphs.audit.database,
      webhooks: subgraphs.webhooks.database,
    },
    recordsOf: (requestId) => accessRecordsOfRequest(subgraphs.audit.database, requestId),
    stop,
    async close() {
      await stop();
      await dropSystemSchemas(options.databaseUrl, system);
    },
  };
}

/** The seeded payers' tokens are bound to these organisations. */
export const payerToken = (organization: string): TokenRequest => ({ role: 'payer_partner', organization });
export const patientToken = (patient: string): TokenRequest => ({ role: 'patient', patient });

/** Every value of a one-column query. */
export const column = async <T = string>(db: Database, sql: string, params: unknown[] = []): Promise<T[]> =>
  (await db.query(sql, params)).map((row) => Object.values(row)[0] as T);

/** The first `count` values of a one-column query, failing when the demo data has fewer. */
export async function pick<T = string>(db: Database, sql: string, params: unknown[] = [], count = 1): Promise<T[]> {
  const values = await column<T>(db, sql, params);
  if (values.length < count) throw new Error(`The demo data has ${values.length} of the ${count} rows needed: ${sql}`);
  return values.slice(0, count);
}

/** Patients covered by `payerId` in the demo data (any coverage, as today's membership counts it). */
export const membersOf = (patients: Database, payerId: string) =>
  patients.query<{ id: string }>('SELECT DISTINCT patient_id AS id FROM coverage WHERE payer_id = $1 ORDER BY 1', [payerId]).then((rows) => rows.map((row) => row.id));

/** The error without what names the instance (path, locations, the id given): what two refusals must share. */
export function errorShape(answer: GraphQLResponse, id: string) {
  return (answer.errors ?? []).map(({ message, extensions }) => JSON.parse(JSON.stringify({ message, extensions }).replaceAll(id, '<id>')));
}
