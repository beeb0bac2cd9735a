import type { WebSocket } from 'ws';
import type { SubscriberConnection } from './subscriber.ts';
import { heldTransport } from './coalesced-writes.ts';
import { textFrame } from './message-slab.ts';

const CLOSING = Buffer.from('}');

/**
 * One subscription's side of its graphql-ws socket. Its `next` messages are written here, not by
 * graphql-ws: the payload is serialized once per group, and each subscriber adds only its envelope,
 * framed here and written straight to the TCP socket (ws would add a header buffer and two writes).
 */
export function subscriberSocket(socket: WebSocket, subscriptionId: string): SubscriberConnection {
  const envelope = Buffer.from(`{"id":${JSON.stringify(subscriptionId)},"type":"next","payload":`);
  return {
    sendNext(payload) {
      if (socket.readyState !== socket.OPEN) return;
      heldTransport(socket).write(textFrame([envelope, payload, CLOSING]));
    },
    bufferedAmount: () => socket.bufferedAmount,
    socket,
    close: (code, reason) => socket.close(code, reason),
  };
}
