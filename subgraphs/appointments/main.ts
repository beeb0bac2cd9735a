// Runs the appointments subgraph as its own service: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA,
// REDIS_URL and EVENT_LOG_* (the event log its outbox is relayed to).
import { withEventLogFromEnv } from '../../platform/events/with-event-log.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { appointmentsSubgraph } from './subgraph.ts';

runUntilSignalled(() =>
  withEventLogFromEnv((eventLog) => startSubgraph(appointmentsSubgraph, { ...subgraphSettingsFromEnv('appointments'), eventLog })),
);
