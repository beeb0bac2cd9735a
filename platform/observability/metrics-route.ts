import cluster from 'node:cluster';
import type { RouteHandler } from '../http/server.ts';
import { offerWorkerMetrics } from './cluster-metrics.ts';
import { metricsEnabled, metricsRegistry } from './metrics.ts';

/** Reads a gauge's current value from where it lives (a table, the event log), at scrape time. */
export type Sampler = () => Promise<void>;

const samplers = new Set<Sampler>();

/** Samples on every scrape until the returned function is called (when the service closes). */
export function sampleOnScrape(sampler: Sampler): () => void {
  samplers.add(sampler);
  return () => samplers.delete(sampler);
}

/** A sampler that fails (its database is down) leaves its gauges at their last value. */
const sampleHere = async () => void (await Promise.all([...samplers].map((sample) => sample().catch(() => undefined))));

/** A worker of several behind one port (GATEWAY_WORKERS): any of them answers for all. */
const allWorkers = cluster.isWorker && metricsEnabled ? offerWorkerMetrics(sampleHere) : undefined;

/**
 * GET /metrics in Prometheus' text format. A sampler that fails leaves its gauges as they were: the
 * scrape still answers, and the requests and errors say the rest.
 */
export const metricsRoute: RouteHandler = async (_request, response) => {
  response.setHeader('content-type', metricsRegistry.contentType);
  if (allWorkers) return void response.end(await allWorkers());
  await sampleHere();
  response.end(await metricsRegistry.metrics());
};
