import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { setting } from '../config.ts';

/**
 * Every metric of the system, by the names the README lists. One registry per process: in embedded
 * mode all services share a process, so each /metrics shows all of it; run apart, each shows its own.
 * Labels are ids of things we define (services, subgraphs, groups, tiers, schema fields, registered
 * operation names, error codes), never values a caller sends and never patient data.
 */
export const metricsRegistry = new Registry();
/** METRICS=false: nothing is recorded and /metrics answers 404 (for deployments that do not scrape). */
export const metricsEnabled = setting('METRICS');
if (metricsEnabled) collectDefaultMetrics({ register: metricsRegistry, prefix: 'healthgraph_' });

const registers = [metricsRegistry];
/** From a cache hit to a slow Odoo call. */
const buckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a metric is when metrics are off: every call the code makes on one does nothing. */
const unrecorded = { inc() {}, set() {}, observe() {}, startTimer: () => () => 0, labels: () => unrecorded };
const recorded = <M>(create: () => M): M => (metricsEnabled ? create() : (unrecorded as unknown as M));

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => recorded(() => new Counter<L>({ name, help, labelNames, registers }));
/** `max`: a gauge every worker of a pool reads from the same shared state (GATEWAY_WORKERS), counted once, not summed. */
const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = [], aggregator: 'sum' | 'max' = 'sum') =>
  recorded(() => new Gauge<L>({ name, help, labelNames, registers, aggregator }));
const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
  recorded(() => new Histogram<L>({ name, help, labelNames, buckets, registers }));

export const graphqlRequests = counter('healthgraph_graphql_requests_total', 'GraphQL operations served, per service and operation name (registered names; any other is "other")', ['service', 'operation'] as const);
export const graphqlErrors = counter('healthgraph_graphql_errors_total', 'GraphQL operations answered with errors, per service, operation name and error code', ['service', 'operation', 'code'] as const);
export const graphqlDuration = histogram('healthgraph_graphql_request_duration_seconds', 'Time to answer a GraphQL operation, per service and operation name', ['service', 'operation'] as const);
export const subgraphRequests = counter('healthgraph_subgraph_requests_total', 'Calls from the gateway to a subgraph', ['subgraph'] as const);
export const subgraphErrors = counter('healthgraph_subgraph_errors_total', 'Gateway calls to a subgraph that failed: unavailable (no answer in time, 5xx) or errors (an answer with GraphQL errors)', ['subgraph', 'kind'] as const);
export const subgraphDuration = histogram('healthgraph_subgraph_request_duration_seconds', 'Time of a gateway call to a subgraph', ['subgraph'] as const);
export const costRefusals = counter('healthgraph_cost_refusals_total', 'Operations refused as costlier than the client tier allows (COST_LIMIT_EXCEEDED)', ['tier'] as const);
export const rateLimitRefusals = counter('healthgraph_rate_limit_refusals_total', 'Operations refused because the caller spent its cost budget (RATE_LIMITED)', ['tier'] as const);
export const costBucketFallback = gauge('healthgraph_cost_bucket_fallback', '1 while the shared cost bucket (Redis) cannot be reached and the gateway spends per-replica budgets (fail-open) or refuses (fail-closed)', [], 'max');
export const authorizationDenials = counter('healthgraph_authorization_denials_total', 'Fields denied to a caller, per schema field whose rule denied it', ['field'] as const);
export const accessRecordsQueued = gauge('healthgraph_access_records_queued', 'Access records waiting to be written to the audit trail');
export const accessRecordWriteDuration = histogram('healthgraph_access_record_write_duration_seconds', 'Time to make a batch of access records durable');
export const eventLogLag = gauge('healthgraph_event_log_lag', 'Events in the log not yet delivered to a consumer group', ['group'] as const, 'max');
export const eventLogPending = gauge('healthgraph_event_log_pending', 'Events delivered to a consumer group and not yet acknowledged', ['group'] as const, 'max');
export const deadLetters = gauge('healthgraph_dead_letters', 'Events a consumer group gave up on, waiting for a replay', ['group'] as const, 'max');
export const webhookDeliveries = counter('healthgraph_webhook_deliveries_total', 'Webhook delivery attempts, per outcome: delivered, failed (retried later), endpoint_gone (410, endpoint disabled)', ['outcome'] as const);
export const odooCallDuration = histogram('healthgraph_odoo_call_duration_seconds', 'Time of a call to Odoo (with its retries), per method', ['method'] as const);
export const odooCallErrors = counter('healthgraph_odoo_call_errors_total', 'Calls to Odoo that failed after their retries, per method and error kind', ['method', 'error'] as const);
export const odooBreakerState = gauge('healthgraph_odoo_breaker_state', "The Odoo circuit breaker's state: 1 for the current one of closed, half-open, open", ['state'] as const);
export const syncBacklog = gauge('healthgraph_sync_backlog', 'Invoices and payments not yet in Odoo', ['kind'] as const);
export const oldestUnsyncedInvoiceAge = gauge('healthgraph_sync_oldest_unsynced_invoice_age_seconds', 'How long the oldest invoice not yet in Odoo has waited (0 when none waits)');
export const reconciliationMismatches = gauge('healthgraph_reconciliation_mismatches', 'Open mismatches between billing and Odoo found by reconciliation');
export const subscriptionsOpen = gauge('healthgraph_subscriptions_open', 'GraphQL subscriptions open on this gateway');
