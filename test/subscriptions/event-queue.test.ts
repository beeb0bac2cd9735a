import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../gateway/subscriptions/event-queue.ts';
import { SharedOutcome } from '../../gateway/subscriptions/shared-outcome.ts';

/** An outcome settled by hand: the test decides the order resolutions finish in. */
function outcome() {
  let settle!: (result: ExecutionResult | undefined) => void;
  return { shared: new SharedOutcome(new Promise((resolve) => (settle = resolve))), settle };
}

const payload = (n: number): ExecutionResult => ({ data: { event: { id: `${n}` } } });
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('a subscription queue', () => {
  it('writes each payload once resolved, in log order whatever order resolutions finish in, leaving out what is withheld', async () => {
    const written: string[] = [];
    const queue = new EventQueue(({ payload }) => written.push(payload.toString()), () => undefined);
    const [first, withheld, third] = [outcome(), outcome(), outcome()];
    for (const { shared } of [first, withheld, third]) queue.push(shared);

    third.settle(payload(3));
    withheld.settle(undefined);
    await settled();
    expect(written).toEqual([]);

    first.settle(payload(1));
    await settled();
    expect(written).toEqual([JSON.stringify(payload(1)), JSON.stringify(payload(3))]);
    expect(queue.length).toBe(0);
  });

  it('serializes an outcome once for every queue that shares it', async () => {
    const shared = outcome();
    const queues = [[], []].map((written: Buffer[]) => ({ written, queue: new EventQueue(({ payload: bytes }) => written.push(bytes), () => undefined) }));
    for (const { queue } of queues) queue.push(shared.shared);
    shared.settle(payload(1));
    await settled();
    expect(queues[0]!.written[0]).toBe(queues[1]!.written[0]);
  });

  it('writes nothing more once ended, and ends its iterator without yielding', async () => {
    const written: Buffer[] = [];
    let ends = 0;
    const queue = new EventQueue(({ payload: bytes }) => written.push(bytes), () => ends++);
    const pending = outcome();
    queue.push(pending.shared);
    const iteration = queue.next();
    await queue.return();
    pending.settle(payload(1));
    await settled();
    expect(written).toEqual([]);
    expect(await iteration).toEqual({ value: undefined, done: true });
    expect(ends).toBe(1);
  });
});
