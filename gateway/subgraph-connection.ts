import type { Fetcher, FetcherHeaders, FetcherResponse } from '@apollo/utils.fetcher';
import { STATUS_CODES } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

/** HTTP to one subgraph endpoint, as the Fetcher @apollo/gateway's data source calls. */
export interface SubgraphConnection {
  fetch: Fetcher;
  /** Waits for calls in flight, then closes the kept-alive sockets. */
  close(): Promise<void>;
}

/**
 * A keep-alive undici pool for one subgraph URL, called with `request` rather than WHATWG fetch:
 * fetch's web streams and an `AbortSignal.timeout` per call were a fifth to a third of the
 * gateway's CPU. The pool's own timeouts bound a call instead: `timeoutMs` to connect, to receive
 * the response's headers, and between two chunks of its body (undici checks the last two on a
 * half-second tick, so a call may run up to a second past them).
 */
export function openSubgraphConnection(url: string, timeoutMs: number): SubgraphConnection {
  const { origin, pathname, search } = new URL(url);
  const pool = new Pool(origin, { connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async fetch(input, init = {}) {
      // One pool per endpoint: anything else would be sent to the wrong host.
      if (input !== url) throw new Error(`This connection reaches ${url} only`);
      const response = await pool.request({
        path: pathname + search,
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: init.headers,
        body: init.body,
        signal: init.signal,
      });
      return new PooledResponse(url, response);
    },
    close: () => pool.close(),
  };
}

class PooledResponse implements FetcherResponse {
  readonly redirected = false;
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: FetcherHeaders;

  constructor(
    readonly url: string,
    private readonly response: Dispatcher.ResponseData,
  ) {
    this.status = response.statusCode;
    this.ok = response.statusCode >= 200 && response.statusCode < 300;
    this.statusText = STATUS_CODES[response.statusCode] ?? '';
    this.headers = new ReceivedHeaders(response.headers);
  }

  get bodyUsed(): boolean {
    return this.response.body.bodyUsed;
  }

  text(): Promise<string> {
    return this.response.body.text();
  }

  json(): Promise<unknown> {
    return this.response.body.json();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.response.body.arrayBuffer();
  }

  /** The body is a stream read once and not buffered; the gateway's data source never clones. */
  clone(): FetcherResponse {
    throw new TypeError('A subgraph response cannot be cloned');
  }
}

/** A response's headers, read-only as WHATWG's are, over undici's lower-cased header object. */
class ReceivedHeaders implements FetcherHeaders {
  constructor(private readonly received: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    const value = this.received[name.toLowerCase()];
    return value === undefined ? null : joined(value);
  }

  has(name: string): boolean {
    return this.received[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of Object.entries(this.received)) if (value !== undefined) yield [name, joined(value)];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  append(): never {
    throw immutable();
  }

  set(): never {
    throw immutable();
  }

  delete(): never {
    throw immutable();
  }
}

const joined = (value: string | string[]): string => (Array.isArray(value) ? value.join(', ') : value);
const immutable = () => new TypeError("A response's headers cannot be changed");
