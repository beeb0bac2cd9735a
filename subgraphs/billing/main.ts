// Runs the billing subgraph as its own service: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA,
// REDIS_URL and EVENT_LOG_* (the event log its outbox is relayed to and its workers read), PAYER_LATENCY_MS.
import { withEventLogFromEnv } from '../../platform/events/with-event-log.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { billingSubgraph } from './subgraph.ts';

runUntilSignalled(() =>
  withEventLogFromEnv((eventLog) => startSubgraph(billingSubgraph, { ...subgraphSettingsFromEnv('billing'), eventLog })),
);
