// The fan-out benchmark's gateway: subscriptions only, the hub reading the Redis event log the
// runner publishes to. It measures itself (process.cpuUsage) between the runner's start and stop.
import { setting } from '../../platform/config.ts';
import { openGatewayEnvironment } from '../../gateway/environment.ts';
import { openEventLog } from '../../platform/events/open.ts';
import { startSubscribedGateway } from '../../test/subscriptions/subscribed-gateway.ts';
import type { GatewayReady, GatewayUsage } from './messages.ts';

const { subgraphUrls, redisUrl, keyPrefix } = JSON.parse(setting('FANOUT_GATEWAY')!) as {
  subgraphUrls: Record<string, string>;
  redisUrl: string;
  keyPrefix: string;
};
const environment = await openGatewayEnvironment('embedded');
const eventLog = await openEventLog({ redisUrl, keyPrefix, maxLength: 100_000, commandTimeoutMs: 2_000 });
const gateway = await startSubscribedGateway({ subgraphUrls, environment, eventLog });
process.send!({ url: gateway.url } satisfies GatewayReady);

let started = { cpu: process.cpuUsage(), at: performance.now(), reads: 0 };
process.on('message', (message) => {
  if (message === 'start') started = { cpu: process.cpuUsage(), at: performance.now(), reads: gateway.reads.length };
  if (message !== 'stop') return;
  const { user, system } = process.cpuUsage(started.cpu);
  const cpuMs = (user + system) / 1000;
  const usage: GatewayUsage = {
    cpuPercentOfOneCore: (cpuMs / (performance.now() - started.at)) * 100,
    cpuMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    reads: gateway.reads.length - started.reads,
  };
  process.send!(usage);
});
process.once('SIGTERM', () =>
  void (async () => {
    await gateway.close();
    await eventLog.close();
    await environment.close();
  })().finally(() => process.exit(0)),
);
