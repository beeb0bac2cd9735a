// A workflows replica on its own: `tsx workflows/main.ts`, as many as wanted on one PostgreSQL, each a
// consumer of the workflows' group on the event log REDIS_URL names.
import { hostname } from 'node:os';
import { checkSettings, setting } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { withEventLogFromEnv } from '../platform/events/with-event-log.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { clientCredentialsIdentity } from './client-credentials.ts';
import { startWorkflowWorker } from './worker.ts';

checkSettings('workflows');

function required(name: 'DATABASE_URL' | 'GATEWAY_URL' | 'WORKFLOWS_TOKEN_URL' | 'WORKFLOWS_CLIENT_ID' | 'WORKFLOWS_CLIENT_SECRET'): string {
  const value = setting(name);
  if (!value) throw new Error(`${name} must be set for a workflows replica`);
  return value;
}

runUntilSignalled(() =>
  withEventLogFromEnv((eventLog) =>
    startWorkflowWorker({
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
      logger: createLogger('workflows'),
    }),
  ),
);
