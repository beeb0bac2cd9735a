import { randomUUID } from 'node:crypto';
import type { Caller } from '../../platform/caller.ts';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import type { EventPayloads, EventType, InvoicedLine } from '../../platform/events/catalog.ts';
import { domainEvent, type DomainEvent } from '../../platform/events/envelope.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { roles } from '../../policies/roles.ts';
import { startBundledOdoo, type BundledOdoo } from '../../stand-ins/odoo/server.ts';
import { OdooClient, type OdooClientOptions } from '../../subgraphs/odoo-finance/odoo/client.ts';
import { odooFinanceSubgraph } from '../../subgraphs/odoo-finance/subgraph.ts';
import { syncIssuedInvoice } from '../../subgraphs/odoo-finance/sync/invoice-sync.ts';
import { syncPostedPayment } from '../../subgraphs/odoo-finance/sync/payment-sync.ts';
import type { SyncContext } from '../../subgraphs/odoo-finance/sync/sync-context.ts';
import { startFaultProxy, type FaultProxy } from '../odoo/fault-proxy.ts';
import { TEST_LOGIN_COST_MS } from '../odoo/targets.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { adminCaller, gatewayStandIn } from '../support/gateway-stand-in.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';

export type OdooVersion = 17 | 18 | 19;

/** Answers fast while Odoo is down: no retries inside the client, and a breaker that cools down quickly. */
export const quickClientOptions: Partial<OdooClientOptions> = { retries: { attempts: 0 }, breaker: { threshold: 3, coolDownMs: 100 }, timeoutMs: 2_000 };

/**
 * A bundled Odoo of one version behind a fault proxy (it counts requests), a client for it, and
 * the subgraph's migrated schema on one engine. Each test file opens one and closes it.
 */
export interface FinanceWorld {
  odoo: BundledOdoo;
  proxy: FaultProxy;
  client: OdooClient;
  db: Database;
  /** The PostgreSQL schema of the subgraph's records. */
  schema: string;
  /** The sync's handlers, called directly to seed state. */
  sync: SyncContext;
  close(): Promise<void>;
}

/** The same, with the subgraph serving it over HTTP, called as the gateway calls it. */
export interface FinanceService extends FinanceWorld {
  subgraph: RunningSubgraph;
  call(query: string, variables?: Record<string, unknown>, caller?: Caller | null): Promise<GraphQLResponse>;
}

async function withOdoo<T extends object>(version: OdooVersion, url: string | undefined, open: (client: OdooClient, schema: string) => Promise<T & { db: Database; closeStore(): Promise<void> }>) {
  const odoo = await startBundledOdoo({ version, loginCostMs: TEST_LOGIN_COST_MS });
  const proxy = await startFaultProxy(odoo.url);
  const client = new OdooClient({ ...odoo, url: proxy.url, ...quickClientOptions });
  const schema = uniqueName('odoo_finance');
  const { closeStore, ...opened } = await open(client, schema);
  return {
    ...opened,
    schema,
    odoo,
    proxy,
    client,
    sync: { db: opened.db, odoo: client, group: 'odoo-sync' },
    async close() {
      await closeStore();
      await dropSchemas(url, schema);
      await proxy.close();
      await odoo.close();
    },
  };
}

export const openFinanceWorld = (version: OdooVersion, url: string | undefined): Promise<FinanceWorld> =>
  withOdoo(version, url, async (_client, schema) => {
    const db = await openDatabase({ url, schema });
    await migrate(db, new URL('../../subgraphs/odoo-finance/migrations/', import.meta.url));
    return { db, closeStore: () => db.close() };
  });

export const startFinanceService = (version: OdooVersion, url: string | undefined): Promise<FinanceService> =>
  withOdoo(version, url, async (client, schema) => {
    const gateway = await gatewayStandIn();
    const subgraph = await startSubgraph(odooFinanceSubgraph(client), { port: 0, database: { url, schema }, gatewayPublicKey: gateway.publicKey });
    return {
      db: subgraph.database,
      subgraph,
      call: async (query: string, variables?: Record<string, unknown>, caller: Caller | null = adminCaller) =>
        graphql(subgraph.url, query, variables, await gateway.headersFor(caller)),
      closeStore: () => subgraph.close(),
    };
  });

export const newPatientId = () => `pat-${randomUUID()}`;
export const newInvoiceId = () => `inv-${randomUUID()}`;

export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;
export type InvoiceIssued = EventOf<'org.healthgraph.invoice.issued.v1'>;
export type PaymentPosted = EventOf<'org.healthgraph.payment.posted.v1'>;

let sequence = 0;
const event = <T extends EventType>(type: T, data: EventPayloads[T]) => domainEvent(type, data, ++sequence) as EventOf<T>;

/** invoice.issued as billing announces it, lines in cents. */
export function invoiceIssued(patientId: string, lineCents: number[], invoiceId = newInvoiceId()): InvoiceIssued {
  const lines: InvoicedLine[] = lineCents.map((amountCents, index) => ({ code: `9921${index}`, description: `Service ${index + 1}`, amountCents }));
  const totalCents = lineCents.reduce((sum, cents) => sum + cents, 0);
  return event('org.healthgraph.invoice.issued.v1', { invoiceId, patientId, number: `INV-2026-${++sequence}`, issuedOn: '2026-03-02', dueDate: '2026-04-01', totalCents, lines });
}

export const paymentPosted = (issued: InvoiceIssued, amountCents: number, extra: Partial<PaymentPosted['data']> = {}) => {
  const { invoiceId, patientId } = issued.data;
  return event('org.healthgraph.payment.posted.v1', { paymentId: `pmt-${randomUUID()}`, invoiceId, patientId, amountCents, receivedOn: '2026-03-05', ...extra });
};

export const invoiceIdOf = (issued: InvoiceIssued) => issued.data.invoiceId;
export const patientIdOf = (issued: InvoiceIssued) => issued.data.patientId;

/** Seeds Odoo and the subgraph's records as the sync would: the invoice, then its payments. */
export async function synced(sync: SyncContext, issued: InvoiceIssued, ...payments: PaymentPosted[]): Promise<void> {
  await syncIssuedInvoice(sync, issued);
  for (const payment of payments) await syncPostedPayment(sync, payment);
}

/** Odoo's customer invoices naming a billing invoice, with what the tests check. */
export const odooInvoicesOf = (client: OdooClient, invoiceId: string) =>
  client.searchRead('account.move', [['move_type', '=', 'out_invoice'], ['ref', '=', invoiceId]], {
    fields: ['state', 'payment_state', 'amount_total', 'amount_residual', 'partner_id', 'payment_reference', 'invoice_date_due'],
  });

/** The events the subgraph wrote to its outbox, of one type, and about one invoice when given. */
export async function outboxEvents<T extends EventType>(db: Database, type: T, invoiceId: string | null = null): Promise<Array<EventOf<T>>> {
  const rows = await db.query<{ event: EventOf<T> }>(
    "SELECT event FROM outbox WHERE event->>'type' = $1 AND ($2::text IS NULL OR event->'data'->>'invoiceId' = $2) ORDER BY seq",
    [type, invoiceId],
  );
  return rows.map((row) => row.event);
}

const caller = (role: keyof typeof roles, extra: Partial<Caller> = {}): Caller => ({
  subject: `test-${role}`,
  clientId: roles[role].defaultClientId,
  roles: [role],
  scopes: [...roles[role].defaultScopes],
  purposeOfUse: roles[role].defaultPurposeOfUse,
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
  ...extra,
});

export const callers = {
  odooService: caller('odoo_service'),
  onboardingService: caller('onboarding_service'),
  billingSpecialist: caller('billing_specialist'),
  clinician: caller('clinician'),
  patient: (patientId: string) => caller('patient', { patientId }),
};

/** Each Odoo version (JSON-RPC on 17 and 18, JSON-2 on 19), the engines taking turns. */
export const eachVersion = [
  { version: 17, engine: 'pglite', url: undefined },
  { version: 18, engine: 'postgres', url: postgresUrl },
  { version: 19, engine: 'pglite', url: undefined },
] as const;

/** `model.method` of each call the proxy passed to Odoo, whichever transport carried it. */
export function odooCalls(proxy: FaultProxy): string[] {
  return proxy.requests.flatMap(({ path, body }) => {
    const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
    if (json2) return [`${json2[1]}.${json2[2]}`];
    const args = (JSON.parse(body) as { params?: { method?: string; args?: unknown[] } }).params;
    return args?.method === 'execute_kw' && args.args ? [`${String(args.args[3])}.${String(args.args[4])}`] : [];
  });
}

export async function odooMoveOf(db: Database, issued: InvoiceIssued): Promise<number> {
  const [link] = await db.query('SELECT odoo_move_id FROM invoice_link WHERE invoice_id = $1', [invoiceIdOf(issued)]);
  return link!.odoo_move_id as number;
}
