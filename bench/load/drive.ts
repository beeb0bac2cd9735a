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
  /** Non-2xx responses, 2xx responses with GraphQL errors, and connection errors or timeouts, by kind. */
  errors: Record<string, number>;
}

export const errorCount = (errors: Record<string, number>) => Object.values(errors).reduce((sum, count) => sum + count, 0);

/** What went wrong, in a word: the HTTP status, else the first GraphQL error's code. */
function kindOf(status: number, body: string): string | undefined {
  if (status < 200 || status >= 300) return `HTTP ${status}`;
  if (!body.includes('"errors"')) return undefined;
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
  return `GraphQL ${code ?? 'error'}`;
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
  const errors: Record<string, number> = {};
  const count = (kind: string | undefined) => {
    if (measuring && kind) errors[kind] = (errors[kind] ?? 0) + 1;
  };
  const latencies: number[] = [];
  const toAutocannon = ({ body, headers }: GraphQLRequest): AutocannonRequest => ({
    method: 'POST',
    body,
    headers,
    onResponse: (status, responseBody) => count(kindOf(status, responseBody)),
  });
  let next = 0;
  const run = autocannon({
    url,
    connections,
    duration: warmupSeconds + seconds,
    setupClient: (client) => client.setRequests(requestsOf(next++).map(toAutocannon)),
  });
  run.on('response', (_client, _status, _bytes, responseTimeMs) => {
    if (measuring) latencies.push(responseTimeMs);
  });
  run.on('reqError', (error) => count(error.message === 'request timed out' ? 'timeout' : 'connection error'));
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
