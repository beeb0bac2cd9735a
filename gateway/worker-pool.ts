import cluster, { type Worker } from 'node:cluster';
import { ConfigurationError, setting, type SettingName } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import { aggregateWorkerMetrics } from '../platform/observability/cluster-metrics.ts';

// GATEWAY_WORKERS: gateway processes behind one port (node:cluster; the primary hands connections to
// them in turn). Each holds its own connections and subscriptions and reads the shared event log;
// what must be shared lives in Redis and PostgreSQL, never in a worker's memory.

const READY = 'healthgraph:gateway-worker-ready';

/** Outside a pool, the one process is worker 1. */
export const workerSlot = (): number => (cluster.isWorker ? (setting('GATEWAY_WORKER_SLOT') ?? 1) : 1);

/** Work that must run once across the pool (the webhook deliverer's dispatcher polling): worker 1's. */
export const runsOncePerPool = (): boolean => workerSlot() === 1;

/**
 * Several workers need the state they share outside their memory: the event log (subscriptions,
 * webhooks) and the cost budgets, which per worker would grant each client N budgets.
 */
export function refuseWorkersWithoutRedis(workers: number): void {
  if (workers > 1 && !setting('REDIS_URL')) {
    throw new ConfigurationError(
      `GATEWAY_WORKERS=${workers} needs REDIS_URL: the workers share the event log and the cost budgets through it (in memory, each worker would hold its own, and every client would get ${workers} budgets)`,
    );
  }
}

/** In a worker: the primary learns it serves (and logs once every worker does). */
export function reportWorkerReady(url: string): void {
  if (cluster.isWorker) process.send!({ type: READY, url });
}

/**
 * The primary: forks `count` workers and serves nothing itself. A worker that stops after it was
 * ready is replaced; one that stops before (a start that fails) stops them all, so a bad setting
 * is not retried forever. SIGTERM or SIGINT is passed on to every worker as SIGTERM (each drains
 * as a lone gateway does); the primary exits once they all have, or kills them past the drain time.
 */
export function runWorkerPool(count: number, logger: Logger): void {
  const slots = new Map<Worker, number>();
  const served = new WeakSet<Worker>();
  let stopping: { code: number } | undefined;
  let announced = false;

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = { code };
    for (const worker of slots.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of slots.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, setting('SHUTDOWN_DRAIN_MS') + 10_000).unref();
    if (slots.size === 0) process.exit(code);
  };

  const fork = (slot: number) => {
    const worker = cluster.fork({ GATEWAY_WORKER_SLOT: String(slot) } satisfies Partial<Record<SettingName, string>>);
    slots.set(worker, slot);
    worker.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type !== READY) return;
      served.add(worker);
      if (announced || ![...slots.keys()].every((each) => served.has(each))) return;
      announced = true;
      logger.info({ url: message.url, workers: count, pids: [...slots.keys()].map((each) => each.process.pid) }, 'gateway workers ready');
    });
    worker.on('exit', (code, signal) => {
      slots.delete(worker);
      if (stopping) {
        // A worker that did not drain cleanly makes the pool's exit a failure too.
        if (code !== 0) stopping.code = 1;
        if (slots.size === 0) process.exit(stopping.code);
        return;
      }
      if (!served.has(worker)) {
        logger.error({ slot, code, signal }, 'a gateway worker failed to start: stopping them all');
        return stopAll(1);
      }
      logger.error({ slot, code, signal }, 'a gateway worker stopped: starting another in its place');
      fork(slot);
    });
  };

  aggregateWorkerMetrics();
  for (let slot = 1; slot <= count; slot++) fork(slot);
  let signalled = false;
  const onSignal = () => {
    // A second signal stops at once, as for a lone gateway.
    if (signalled) {
      for (const worker of slots.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    signalled = true;
    stopAll(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
