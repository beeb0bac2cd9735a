import type { RouteHandler } from '../http/server.ts';
import { metricsRegistry } from './metrics.ts';

/** Reads a gauge's current value from where it lives (a table, the event log), at scrape time. */
export type Sampler = () => Promise<void>;

const samplers = new Set<Sampler>();

/** Samples on every scrape until the returned function is called (when the service closes). */
export function sampleOnScrape(sampler: Sampler): () => void {
  samplers.add(sampler);
  return () => samplers.delete(sampler);
}

/**
 * GET /metrics in Prometheus' text format. A sampler that fails (its database is down) leaves its
 * gauges at their last value: the scrape still answers, and the requests and errors say the rest.
 */
export const metricsRoute: RouteHandler = async (_request, response) => {
  await Promise.all([...samplers].map((sample) => sample().catch(() => undefined)));
  response.setHeader('content-type', metricsRegistry.contentType);
  response.end(await metricsRegistry.metrics());
};
