import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Sockets are written at most this often: when events come faster, each write carries several.
 * An event after a quiet spell still leaves at the end of the turn, with no wait. Short: the groups
 * of one event settle a few milliseconds apart, and each waits out the interval the first began
 * (at 100 ms, most deliveries at 1,000 subscribers waited about 80 ms here).
 */
const WRITE_INTERVAL_MS = 15;

/** ws's own TCP socket: ws has no cork of its own, and writes each frame with a system call. */
const transportOf = (socket: WebSocket) => (socket as unknown as { _socket?: Duplex })._socket;

const held = new Set<Duplex>();
let releaseScheduled = false;
let releasedAt = Number.NEGATIVE_INFINITY;

function releaseAll(): void {
  releaseScheduled = false;
  releasedAt = performance.now();
  for (const transport of held) transport.uncork();
  held.clear();
}

/**
 * Holds `socket`'s writes until this turn of the event loop ends, or until WRITE_INTERVAL_MS after
 * the last release, so the messages written to it meanwhile (events resolved together while the
 * hub catches up, several subscriptions on one connection) leave in one system call: at thousands
 * of subscribers, the calls cost more than the bytes.
 */
export function holdWrites(socket: WebSocket): void {
  const transport = transportOf(socket);
  if (!transport || held.has(transport)) return;
  if (!releaseScheduled) {
    releaseScheduled = true;
    const wait = releasedAt + WRITE_INTERVAL_MS - performance.now();
    if (wait > 0) setTimeout(releaseAll, wait);
    else setImmediate(releaseAll);
  }
  transport.cork();
  held.add(transport);
}
