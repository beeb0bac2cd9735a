import type { Subscriber } from './subscriber.ts';

/** 1013 as for a slow subscriber, but telling the client why: the gateway's total, not its own socket. */
export const OVER_BUDGET = { code: 1013, reason: 'The gateway holds too much unsent for all subscribers: reconnect with after, the id of the last event received' };

export interface BufferBudget {
  stop(): void;
}

/**
 * The bytes all sockets hold unsent, together. Each subscriber is cut off past its own limit; this
 * bounds what many stalled ones hold at once: every `intervalMs`, while the sum is over `maxBytes`,
 * the socket holding most is closed (1013, OVER_BUDGET: its client reconnects with `after`).
 */
export function watchBufferBudget(subscribers: () => Iterable<Subscriber>, maxBytes: number, intervalMs = 1_000): BufferBudget {
  const timer = setInterval(() => {
    const sockets = new Map<object, { bytes: number; subscribers: Subscriber[] }>();
    for (const subscriber of subscribers()) {
      const { connection } = subscriber;
      const held = sockets.get(connection.socket) ?? sockets.set(connection.socket, { bytes: connection.bufferedAmount(), subscribers: [] }).get(connection.socket)!;
      held.subscribers.push(subscriber);
    }
    let total = 0;
    for (const { bytes } of sockets.values()) total += bytes;
    const largestFirst = [...sockets.values()].sort((a, b) => b.bytes - a.bytes);
    for (const held of largestFirst) {
      if (total <= maxBytes) break;
      for (const subscriber of held.subscribers) subscriber.cutOff(OVER_BUDGET);
      total -= held.bytes;
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
