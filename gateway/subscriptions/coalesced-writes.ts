import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Sockets are written at most this often: when events come faster, each write carries several.
 * An event after a quiet spell still leaves at the end of the turn, with no wait. Short: the groups
 * of one event settle a few milliseconds apart, and each waits out the interval the first began
 * (at 100 ms, most deliveries at 1,000 subscribers waited about 80 ms here).
 */
const MIN_WRITE_INTERVAL_MS = 15;

/** ws's own TCP socket: ws has no cork of its own, and writes each frame with a system call. */
const transportOf = (socket: WebSocket) => (socket as unknown as { _socket: Duplex })._socket;

const held = new Set<Duplex>();
let releaseScheduled = false;
let releasedAt = Number.NEGATIVE_INFINITY;
let interval = MIN_WRITE_INTERVAL_MS;

/**
 * Writes every held socket, one system call each; the next release waits at least as long as this
 * one took. A socket's write costs the kernel about ten microseconds on loopback whatever it
 * carries (the profile at 5,000 subscribers: half the gateway's time in writev, one per
 * socket and event), so with thousands of sockets the writes alone would fill the thread; waiting
 * as long as they took keeps them to half of it, each write carrying the events of the wait.
 */
function releaseAll(): void {
  const started = performance.now();
  releaseScheduled = false;
  for (const transport of held) transport.uncork();
  releasedAt = performance.now();
  held.clear();
  interval = Math.max(MIN_WRITE_INTERVAL_MS, releasedAt - started);
}

/**
 * `socket`'s TCP socket, its writes held until this turn of the event loop ends, or until the
 * write interval after the last release has passed, so the frames written to it meanwhile (events resolved
 * together while the hub catches up, several subscriptions on one connection) leave in one system
 * call: at thousands of subscribers, the calls cost more than the bytes. Frames written to it go
 * out in order with those ws writes itself (ws writes synchronously: no compression here).
 */
export function heldTransport(socket: WebSocket): Duplex {
  const transport = transportOf(socket);
  if (held.has(transport)) return transport;
  if (!releaseScheduled) {
    releaseScheduled = true;
    const wait = releasedAt + interval - performance.now();
    if (wait > 0) setTimeout(releaseAll, wait);
    else setImmediate(releaseAll);
  }
  transport.cork();
  held.add(transport);
  return transport;
}
