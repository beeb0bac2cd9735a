// A workflows replica on its own: `tsx workflows/main.ts`, as many as wanted on one PostgreSQL, each a
// consumer of the workflows' group on the event log REDIS_URL names, and each serving the workflows
// subgraph (onboardings) at PORT or SUBGRAPH_WORKFLOWS_PORT.
import { hostname } from 'node:os';
import { checkSettings, setting } from '../platform/config.ts';
import { databaseSettingsFromEnv } from '../platform/database/open.ts';
import { createLogger } from '../platform/logger.ts';
import { withEventLogFromEnv } from '../platform/events/with-event-log.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../platform/subgraph/service.ts';
import { clientCredentialsIdentity } from './client-credentials.ts';
import { engineOnboardingRecords } from './graph/onboarding-records.ts';
import { workflowsSubgraph } from './graph/subgraph.ts';
import { startWorkflowWorker } from './worker.ts';

checkSettings('workflows');

function required(name: 'DATABASE_URL' | 'GATEWAY_URL' | 'WORKFLOWS_TOKEN_URL' | 'WORKFLOWS_CLIENT_ID' | 'WORKFLOWS_CLIENT_SECRET'): string {
  const value = setting(name);
  if (!value) throw new Error(`${name} must be set for a workflows replica`);
  return value;
}

runUntilSignalled(() =>
  withEventLogFromEnv(async (eventLog) => {
    // The subgraph's own tables (idempotency keys, the outbox and listing onboardings announce to) beside
    // the engine's schema, not in it. Started first: the worker writes to its outbox.
    const graph = await startSubgraph(workflowsSubgraph(engineOnboardingRecords), {
      ...subgraphSettingsFromEnv('workflows'),
      database: databaseSettingsFromEnv(setting('DATABASE_SCHEMA') ?? 'workflows_graph'),
      eventLog,
    });
    const worker = await startWorkflowWorker({
      databaseUrl: setting('WORKFLOWS_DATABASE_URL') ?? required('DATABASE_URL'),
      schema: setting('WORKFLOWS_SCHEMA'),
      // Stable across restarts of this replica: it recovers what it was running.
      executorId: setting('WORKFLOWS_EXECUTOR_ID') ?? hostname(),
      gatewayUrl: required('GATEWAY_URL'),
      identity: clientCredentialsIdentity({
        tokenUrl: required('WORKFLOWS_TOKEN_URL'),
        clientId: required('WORKFLOWS_CLIENT_ID'),
        clientSecret: required('WORKFLOWS_CLIENT_SECRET'),
      }),
      concurrency: setting('WORKFLOWS_CONCURRENCY'),
      events: { eventLog, visit: { serviceCode: setting('WORKFLOWS_VISIT_SERVICE_CODE'), pollSeconds: setting('WORKFLOWS_VISIT_POLL_SECONDS') } },
      outbox: graph.database.background,
      logger: createLogger('workflows'),
    }).catch(async (error) => {
      await graph.close();
      throw error;
    });
    return {
      async close() {
        // The worker first: its steps write to the subgraph's outbox.
        await worker.close();
        await graph.close();
      },
    };
  }),
);
