import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** ws's own TCP socket: ws has no cork of its own, and writes each frame with a system call. */
const transportOf = (socket: WebSocket) => (socket as unknown as { _socket: Duplex })._socket;

/**
 * A release writes sockets for at most this long before it lets the event loop read what came in
 * (audit commits, subgraph answers, the log), and goes on in the next turn: at 5,000 subscribers one
 * release took tens of milliseconds, and every commit answered meanwhile, holding the audit chain's
 * lock, waited that long to be read.
 */
const RELEASE_SLICE_MS = 5;

const held = new Set<Duplex>();
let releaseScheduled = false;
let releasedAt = Number.NEGATIVE_INFINITY;
/** Writing time of the release under way, over its slices. */
let releaseWork = 0;
/**
 * How long the last release took: the next waits as long. No fixed floor: the groups of one event
 * settle a few milliseconds apart and each waited out the floor the first began (100 ms, then 15 ms,
 * were most of the p50 at 1,000 subscribers), while a subscriber in one group gets one frame per
 * event anyway. Under load the releases grow long, and so does the wait, each write carrying more.
 */
let interval = 0;

/**
 * Writes every held socket, one system call each, in slices; the next release waits at least as
 * long as this one's writing took. A socket's write costs the kernel about ten microseconds on loopback whatever it
 * carries (the profile at 5,000 subscribers: half the gateway's time in writev, one per
 * socket and event), so with thousands of sockets the writes alone would fill the thread; waiting
 * as long as they took keeps them to half of it, each write carrying the events of the wait.
 */
function releaseAll(): void {
  const started = performance.now();
  let now = started;
  for (const transport of held) {
    held.delete(transport);
    transport.uncork();
    now = performance.now();
    if (now - started >= RELEASE_SLICE_MS && held.size > 0) {
      releaseWork += now - started;
      return void setImmediate(releaseAll);
    }
  }
  releaseScheduled = false;
  releasedAt = now;
  interval = releaseWork + (now - started);
  releaseWork = 0;
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
