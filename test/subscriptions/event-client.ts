import { createClient, type Client } from 'graphql-ws';
import type { FormattedExecutionResult } from 'graphql';
import WebSocket from 'ws';

export interface Closing {
  code: number;
  reason: string;
}

/** One subscription's `next` payloads as they arrive, and the error that ended it, if one did. */
export interface EventStream {
  results: FormattedExecutionResult<Record<string, any>, unknown>[];
  failure(): unknown;
}

export interface EventSubscriber {
  client: Client;
  /** The first close of the connection. */
  closed: Promise<Closing>;
  subscribe(query: string, variables?: Record<string, unknown>): EventStream;
}

/** A real graphql-ws client over `ws`, giving up at the first close (no retries), as tests want. */
export function connectSubscriber(url: string, authorization?: string, onConnected?: (socket: WebSocket) => void): EventSubscriber {
  let closedWith!: (closing: Closing) => void;
  const closed = new Promise<Closing>((resolve) => (closedWith = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    on: {
      connected: (socket) => onConnected?.(socket as WebSocket),
      closed: (event) => closedWith({ code: (event as Closing).code, reason: (event as Closing).reason }),
    },
  });
  return {
    client,
    closed,
    subscribe(query, variables) {
      const results: EventStream['results'] = [];
      let failure: unknown;
      client.subscribe({ query, variables }, { next: (result) => void results.push(result), error: (error) => (failure = error), complete: () => undefined });
      return { results, failure: () => failure };
    },
  };
}

/** Polls until `done` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
