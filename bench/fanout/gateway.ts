// The fan-out benchmark's gateway: subscriptions only, the hub reading the Redis event log the
// runner publishes to. It measures itself (process.cpuUsage) between the runner's start and stop.
// With `workers` above 1 this process is the primary of that many gateway workers behind one port
// (node:cluster, as GATEWAY_WORKERS runs gateway/main.ts), and adds up what they measured.
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { setting } from '../../platform/config.ts';
import { openGatewayEnvironment } from '../../gateway/environment.ts';
import { openEventLog } from '../../platform/events/open.ts';
import { startSubscribedGateway } from '../../test/subscriptions/subscribed-gateway.ts';
import type { GatewayReady, GatewayUsage } from './messages.ts';

const { subgraphUrls, redisUrl, keyPrefix, workers } = JSON.parse(setting('FANOUT_GATEWAY')!) as {
  subgraphUrls: Record<string, string>;
  redisUrl: string;
  keyPrefix: string;
  workers: number;
};

async function serve(): Promise<void> {
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
      workers: 1,
      cpuPercentOfOneCore: (cpuMs / (performance.now() - started.at)) * 100,
      cpuMs,
      systemCpuMs: system / 1000,
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
}

const answerOf = <T>(worker: Worker) => once(worker, 'message').then(([message]) => message as T);

/** The primary: the workers' sum (CPU, reads, resident memory); they share one port, so any URL is theirs. */
async function pool(): Promise<void> {
  const forked = Array.from({ length: workers }, () => cluster.fork());
  const [ready] = await Promise.all(forked.map((worker) => answerOf<GatewayReady>(worker)));
  process.send!(ready);
  process.on('message', (message) => {
    if (message === 'start') for (const worker of forked) worker.send('start');
    if (message !== 'stop') return;
    void Promise.all(forked.map((worker) => (worker.send('stop'), answerOf<GatewayUsage>(worker)))).then((usages) => {
      const sum = (of: (usage: GatewayUsage) => number) => usages.reduce((total, usage) => total + of(usage), 0);
      const usage: GatewayUsage = {
        workers,
        cpuPercentOfOneCore: sum((each) => each.cpuPercentOfOneCore),
        cpuMs: sum((each) => each.cpuMs),
        systemCpuMs: sum((each) => each.systemCpuMs),
        peakRssMiB: sum((each) => each.peakRssMiB),
        reads: sum((each) => each.reads),
      };
      process.send!(usage);
    });
  });
  process.once('SIGTERM', () => {
    for (const worker of forked) worker.process.kill('SIGTERM');
    void Promise.all(forked.map((worker) => (worker.isDead() ? undefined : once(worker, 'exit')))).finally(() => process.exit(0));
  });
}

await (cluster.isPrimary && workers > 1 ? pool() : serve());
