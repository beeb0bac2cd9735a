// The gateway as its own service: `tsx gateway/main.ts [supergraph.graphql]`.
// Serves any Federation 2 supergraph; the healthcare one by default. See README for the settings.
import { readFileSync } from 'node:fs';
import { checkSettings, runMode, setting } from '../platform/config.ts';
import { openEventLog } from '../platform/events/open.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { defaultGatewayPort, supergraphPath } from '../schema/catalog.ts';
import { governanceFromSettings, openGatewayEnvironment, pagesFromSettings } from './environment.ts';
import { startGateway } from './server.ts';

const supergraphFile = process.argv[2] ?? supergraphPath;

runUntilSignalled(async () => {
  checkSettings('gateway');
  const environment = await openGatewayEnvironment(runMode('production'));
  // Subscriptions and webhooks need the shared event log: Redis Streams (GATEWAY_EVENTS=false turns them off).
  const eventLog = setting('REDIS_URL') && setting('GATEWAY_EVENTS') ? await openEventLog() : undefined;
  const gateway = await startGateway({
    supergraphSdl: readFileSync(supergraphFile, 'utf8'),
    port: setting('PORT') ?? defaultGatewayPort,
    host: setting('HOST'),
    subgraphTimeoutMs: setting('SUBGRAPH_TIMEOUT_MS'),
    executor: setting('GATEWAY_EXECUTOR'),
    authenticate: environment.authenticate,
    signInternalToken: environment.signInternalToken,
    internalTokenKeys: { keys: [environment.internalTokenPublicKey] },
    readinessChecks: environment.readinessChecks,
    governance: governanceFromSettings(environment),
    pages: pagesFromSettings(environment),
    events: eventLog && { eventLog, loopbackWebhookTargets: setting('WEBHOOK_LOOPBACK_TARGETS') },
  });
  return {
    async close() {
      await gateway.close();
      await eventLog?.close();
      await environment.close();
    },
  };
  // The gateway hands each request's trace to its subgraph calls, and an event's to its reads and
  // deliveries: no context manager, whose promise hooks would slow every request.
}, { implicitTraceContext: false });
