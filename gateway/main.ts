// The gateway as its own service: `tsx gateway/main.ts [supergraph.graphql]`.
// Serves any Federation 2 supergraph; the healthcare one by default. See README for the settings.
// GATEWAY_WORKERS=N: this process is the primary of N gateway workers behind the one port.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { checkSettings, runMode, setting } from '../platform/config.ts';
import { openEventLog } from '../platform/events/open.ts';
import { createLogger } from '../platform/logger.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { defaultGatewayPort, supergraphPath } from '../schema/catalog.ts';
import { governanceFromSettings, openGatewayEnvironment, pagesFromSettings } from './environment.ts';
import { startGateway } from './server.ts';
import { refuseWorkersWithoutRedis, reportWorkerReady, runsOncePerPool, runWorkerPool } from './worker-pool.ts';

const supergraphFile = process.argv[2] ?? supergraphPath;

async function startOne() {
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
    events: eventLog && { eventLog, loopbackWebhookTargets: setting('WEBHOOK_LOOPBACK_TARGETS'), webhooks: runsOncePerPool() },
  });
  reportWorkerReady(gateway.url);
  return {
    async close() {
      await gateway.close();
      await eventLog?.close();
      await environment.close();
    },
  };
}

/** GATEWAY_WORKERS, once the settings are known to be good (a bad one stops the start here). */
function poolSize(): number {
  try {
    checkSettings('gateway');
    const workers = setting('GATEWAY_WORKERS');
    refuseWorkersWithoutRedis(workers);
    return workers;
  } catch (error) {
    console.error(`failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}

// The gateway hands each request's trace to its subgraph calls, and an event's to its reads and
// deliveries: no context manager, whose promise hooks would slow every request.
const tracing = { implicitTraceContext: false };

if (cluster.isWorker) {
  // The primary decides: a terminal's Ctrl-C reaches the whole process group, the primary passes on one SIGTERM.
  process.on('SIGINT', () => undefined);
  runUntilSignalled(startOne, { ...tracing, signals: ['SIGTERM'], stopWhen: (stop) => process.once('disconnect', stop) });
} else {
  const workers = poolSize();
  if (workers > 1) runWorkerPool(workers, createLogger('gateway'));
  else runUntilSignalled(startOne, tracing);
}
