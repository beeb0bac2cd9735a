import type { WebSocket } from 'ws';
import type { SubscriberConnection } from './subscriber.ts';
import { holdWrites } from './coalesced-writes.ts';
import { joined } from './message-slab.ts';

const CLOSING = Buffer.from('}');

/**
 * One subscription's side of its graphql-ws socket. Its `next` messages are written here, not by
 * graphql-ws: the payload is serialized once per group, and each subscriber adds only its envelope.
 */
export function subscriberSocket(socket: WebSocket, subscriptionId: string): SubscriberConnection {
  const envelope = Buffer.from(`{"id":${JSON.stringify(subscriptionId)},"type":"next","payload":`);
  return {
    sendNext(payload) {
      if (socket.readyState !== socket.OPEN) return;
      holdWrites(socket);
      // A text frame, as graphql-ws sends: the bytes are JSON's, hence UTF-8.
      socket.send(joined([envelope, payload, CLOSING]), { binary: false });
    },
    bufferedAmount: () => socket.bufferedAmount,
    socket,
    close: (code, reason) => socket.close(code, reason),
  };
}
