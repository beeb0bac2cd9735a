// The fan-out benchmark's gateway: subscriptions only, the hub reading the Redis event log the
// runner publishes to. It measures itself (process.cpuUsage) between the runner's start and stop.
// With `workers` above 1 this process is the primary of that many gateway workers behind one port
// (node:cluster, as GATEWAY_WORKERS runs gateway/main.ts), and adds up what they measured.
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setting } from '../../platform/config.ts';
import { openGatewayEnvironment } from '../../gateway/environment.ts';
import { openEventLog } from '../../platform/events/open.ts';
import { accessRecordWriteDuration } from '../../platform/observability/metrics.ts';
import { startSubscribedGateway } from '../../test/subscriptions/subscribed-gateway.ts';
import type { GatewayReady, GatewayUsage } from './messages.ts';
import { windowProfile } from './window-profile.ts';

/** The audit writer's transactions so far: how many, and their time in all (ms). */
async function auditCommits(): Promise<{ count: number; ms: number }> {
  const { values } = await accessRecordWriteDuration.get();
  const total = (suffix: string) => values.find((value) => value.metricName?.endsWith(suffix))?.value ?? 0;
  return { count: total('_count'), ms: total('_sum') * 1000 };
}

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

  let started = { cpu: process.cpuUsage(), at: performance.now(), reads: 0, readMs: 0, commits: await auditCommits() };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const profileDir = setting('FANOUT_CPU_PROF_DIR');
  const profile = profileDir ? windowProfile(profileDir) : undefined;
  process.on('message', (message) => {
    if (message === 'start') {
      void profile?.start();
      void auditCommits().then((commits) => (started = { cpu: process.cpuUsage(), at: performance.now(), reads: gateway.reads.length, readMs: gateway.readMs(), commits }));
      loopDelay.reset();
      loopDelay.enable();
    }
    if (message !== 'stop') return;
    loopDelay.disable();
    const { user, system } = process.cpuUsage(started.cpu);
    const cpuMs = (user + system) / 1000;
    const at = performance.now();
    void auditCommits().then(async (commits) => {
      await profile?.stop();
      const usage: GatewayUsage = {
        workers: 1,
        cpuPercentOfOneCore: (cpuMs / (at - started.at)) * 100,
        cpuMs,
        systemCpuMs: system / 1000,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
        reads: gateway.reads.length - started.reads,
        readMs: gateway.readMs() - started.readMs,
        auditCommits: commits.count - started.commits.count,
        auditCommitMs: commits.ms - started.commits.ms,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      };
      process.send!(usage);
    });
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
        readMs: sum((each) => each.readMs),
        auditCommits: sum((each) => each.auditCommits),
        auditCommitMs: sum((each) => each.auditCommitMs),
        loopDelayP99Ms: Math.max(...usages.map((each) => each.loopDelayP99Ms)),
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
