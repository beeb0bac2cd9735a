import { randomUUID } from 'node:crypto';

/** One request of a load: when it was sent and answered, and how. */
export interface Outcome {
  requestId: string;
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when no answer came (connection refused, reset). */
  status: number;
  /** extensions.code of each error, in order. */
  codes: string[];
  /** Whether the answer carried the data asked for. */
  served: boolean;
}

export interface LoadOptions {
  url: string;
  query: string;
  /** The variables of the n-th request. */
  variables: (n: number) => Record<string, unknown>;
  /** Every caller's headers, or each caller's own (caller n sends `headers[n % length]`): one caller, one budget. */
  headers: Record<string, string> | Record<string, string>[];
  /** Requests in flight at once. */
  concurrency: number;
  /** Whether an answer served what was asked. */
  served: (data: Record<string, unknown> | null | undefined) => boolean;
  /** A request not answered by then counts as unanswered (status 0): an outage may hold requests. */
  timeoutMs?: number;
  /** Each caller sends at most one request per this many ms (a person's pace); as fast as answered when absent. */
  paceMs?: number;
}

/** Callers that keep asking until stopped; every request has its own request id. */
export class Load {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly callers: Promise<void>[];
  private sent = 0;

  constructor(private readonly options: LoadOptions) {
    this.callers = Array.from({ length: options.concurrency }, (_, n) => this.caller(n));
  }

  private async caller(index: number): Promise<void> {
    const { url, query, variables, served, timeoutMs = 15_000, paceMs = 0 } = this.options;
    const headers = Array.isArray(this.options.headers) ? this.options.headers[index % this.options.headers.length]! : this.options.headers;
    while (this.running) {
      const requestId = `faults-${randomUUID()}`;
      const sentAt = performance.now();
      const n = this.sent++;
      let outcome: Omit<Outcome, 'requestId' | 'sentAt' | 'answeredAt'>;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers, 'x-request-id': requestId },
          body: JSON.stringify({ query, variables: variables(n) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
        outcome = { status: response.status, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? 'NONE'), served: served(body.data) };
      } catch {
        outcome = { status: 0, codes: [], served: false };
        // Nothing listens: do not spin.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      this.outcomes.push({ requestId, sentAt, answeredAt: performance.now(), ...outcome });
      const early = sentAt + paceMs - performance.now();
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
    }
  }

  /** Resolves once `count` more requests were served. */
  async untilServed(count: number, boundMs = 60_000): Promise<void> {
    const target = this.servedCount + count;
    const started = performance.now();
    while (this.servedCount < target) {
      if (performance.now() - started > boundMs) throw new Error(`load: ${count} requests not served within ${boundMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  get servedCount(): number {
    return this.outcomes.filter((outcome) => outcome.served).length;
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await Promise.all(this.callers);
    return this.outcomes;
  }
}

/**
 * Recovery: from `since` (the fault ended) until the first request sent after which every request was served.
 * Undefined when the load never recovered.
 */
export function recoveryMs(outcomes: readonly Outcome[], since: number): number | undefined {
  const after = outcomes.filter((outcome) => outcome.sentAt >= since).sort((a, b) => a.sentAt - b.sentAt);
  let lastFailure = -1;
  after.forEach((outcome, index) => {
    if (!outcome.served) lastFailure = index;
  });
  const firstOfStreak = after[lastFailure + 1];
  return firstOfStreak ? Math.max(0, firstOfStreak.sentAt - since) : undefined;
}

/** How many answers had each error code (`HTTP 0` for no answer), among those not served. */
export function failureCodes(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes.filter((outcome) => !outcome.served)) {
    const key = outcome.status === 0 ? 'no answer' : outcome.codes.length > 0 ? [...new Set(outcome.codes)].join('+') : `HTTP ${outcome.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
