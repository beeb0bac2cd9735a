import autocannon, { type AutocannonRequest } from 'autocannon';
import type { GraphQLRequest } from './graphql-request.ts';

export interface LoadSettings {
  connections: number;
  /** Load before the measured window: the same run, so the window starts on a full pipeline. */
  warmupSeconds: number;
  seconds: number;
  /** The requests connection `i` sends, in a loop: each connection has its own callers. */
  requestsOf: (connection: number) => GraphQLRequest[];
  /** Called as the measured window opens (CPU sampling). */
  onMeasureStart?: () => void;
}

export interface LoadResult {
  /** Responses received in the measured window, any status. */
  responses: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses, 2xx responses with GraphQL errors, and connection errors or timeouts. */
  errors: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/**
 * Drives `url` with autocannon: `connections` keep-alive connections, each sending its own
 * requests back to back. One run covers warm-up and measurement, so no request is abandoned
 * between them; only responses in the window count, with latencies kept exactly (autocannon's own
 * histogram rounds to whole milliseconds). A 200 whose body has `errors` counts as an error.
 */
export async function drive(url: string, { connections, warmupSeconds, seconds, requestsOf, onMeasureStart }: LoadSettings): Promise<LoadResult> {
  let measuring = false;
  let errors = 0;
  const latencies: number[] = [];
  const countGraphQLErrors = (status: number, body: string) => {
    if (measuring && status >= 200 && status < 300 && body.includes('"errors"')) errors++;
  };
  const toAutocannon = ({ body, headers }: GraphQLRequest): AutocannonRequest => ({ method: 'POST', body, headers, onResponse: countGraphQLErrors });
  let next = 0;
  const run = autocannon({
    url,
    connections,
    duration: warmupSeconds + seconds,
    setupClient: (client) => client.setRequests(requestsOf(next++).map(toAutocannon)),
  });
  run.on('response', (_client, status, _bytes, responseTimeMs) => {
    if (!measuring) return;
    latencies.push(responseTimeMs);
    if (status < 200 || status >= 300) errors++;
  });
  run.on('reqError', () => {
    if (measuring) errors++;
  });
  let openedAt = performance.now();
  const window = setTimeout(() => {
    onMeasureStart?.();
    measuring = true;
    openedAt = performance.now();
  }, warmupSeconds * 1000);
  await run;
  measuring = false;
  clearTimeout(window);
  latencies.sort((a, b) => a - b);
  return { responses: latencies.length, seconds: (performance.now() - openedAt) / 1000, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), errors };
}
