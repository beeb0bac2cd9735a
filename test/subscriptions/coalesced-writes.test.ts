import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';

/** A ws socket whose TCP socket counts its releases; writing it takes `writeMs` on the mocked clock. */
function socketTaking(clock: { now: number }, writeMs: number) {
  const transport = { corked: 0, released: 0, cork: () => transport.corked++, uncork: () => (transport.released++, (clock.now += writeMs)) };
  return { transport, socket: { _socket: transport } as unknown as WebSocket };
}

/** The module afresh (its release schedule is module state), on fake timers and a clock the test moves. */
async function coalescedWrites() {
  vi.resetModules();
  const { heldTransport } = await import('../../gateway/subscriptions/coalesced-writes.ts');
  vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] });
  const clock = { now: 1_000 };
  vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
  return { heldTransport, clock };
}

/** A socket held now is released `ms` later, not a millisecond sooner. */
function expectReleasedAfter({ heldTransport, clock }: Awaited<ReturnType<typeof coalescedWrites>>, ms: number) {
  const next = socketTaking(clock, 1);
  heldTransport(next.socket);
  vi.advanceTimersByTime(ms - 1);
  expect(next.transport.released).toBe(0);
  vi.advanceTimersByTime(1);
  expect(next.transport.released).toBe(1);
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('coalesced socket writes', () => {
  it('waits before the next release at least as long as the last one took, so writing many sockets cannot fill the thread', async () => {
    const writes = await coalescedWrites();
    // 4,000 sockets at about 10 µs each: 40 ms of writing.
    const busy = socketTaking(writes.clock, 40);
    writes.heldTransport(busy.socket);
    vi.advanceTimersByTime(0);
    expect(busy.transport.released).toBe(1);

    writes.clock.now += 20;
    expectReleasedAfter(writes, 20);
  });

  it('holds a socket after a short release only as long as that release took, not for a fixed interval', async () => {
    const writes = await coalescedWrites();
    // A few hundred sockets of one group: 2 ms of writing.
    writes.heldTransport(socketTaking(writes.clock, 2).socket);
    vi.advanceTimersByTime(0);
    // The next group settles a moment later: its members wait out the 2 ms, no more.
    expectReleasedAfter(writes, 2);
  });

  it('writes thousands of sockets in slices of a few milliseconds, so the answers of the database and the subgraphs are read in between', async () => {
    const writes = await coalescedWrites();
    const sockets = [3, 3, 3].map((ms) => socketTaking(writes.clock, ms));
    for (const { socket } of sockets) writes.heldTransport(socket);
    vi.runOnlyPendingTimers();
    expect(sockets.map(({ transport }) => transport.released)).toEqual([1, 1, 0]);
    vi.runOnlyPendingTimers();
    expect(sockets.map(({ transport }) => transport.released)).toEqual([1, 1, 1]);
    // The next release waits as long as the writing took in all.
    expectReleasedAfter(writes, 9);
  });

  it('writes a socket alone at the end of the turn after a quiet spell, with no wait', async () => {
    const { heldTransport, clock } = await coalescedWrites();
    const quiet = socketTaking(clock, 0);
    expect(heldTransport(quiet.socket)).toBe(quiet.transport);
    expect(heldTransport(quiet.socket)).toBe(quiet.transport);
    expect(quiet.transport.corked).toBe(1);
    vi.advanceTimersByTime(0);
    expect(quiet.transport.released).toBe(1);
  });
});
