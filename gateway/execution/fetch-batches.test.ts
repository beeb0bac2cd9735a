import { describe, expect, it } from 'vitest';
import { fetchBatches } from './fetch-batches.ts';

/** A fetch in flight that answers when told to (or fails). */
function pendingAnswer() {
  let answer!: () => void;
  let fail!: (error: Error) => void;
  const answered = new Promise<void>((resolve, reject) => ((answer = resolve), (fail = reject)));
  return { answered, answer, fail };
}

describe('fetch batches', () => {
  function recording() {
    const sent: Array<[string, number[]]> = [];
    const batches = fetchBatches<number>(async (subgraph, items) => {
      sent.push([subgraph, [...items]]);
    });
    return { sent, batches };
  }

  it('sends what was added in one turn as one request per subgraph', async () => {
    const { sent, batches } = recording();
    await Promise.all([batches.add('reviews', 1), batches.add('reviews', 2), batches.add('inventory', 3)]);
    expect(sent).toEqual([
      ['reviews', [1, 2]],
      ['inventory', [3]],
    ]);
  });

  it('waits for a fetch in flight whose next steps call the same subgraph, and takes what it adds', async () => {
    const { sent, batches } = recording();
    const accounts = pendingAnswer();
    const branch = batches.inFlight(new Set(['reviews']), () => accounts.answered).then(() => batches.add('reviews', 2));
    const first = batches.add('reviews', 1);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
    accounts.answer();
    await Promise.all([first, branch]);
    expect(sent).toEqual([['reviews', [1, 2]]]);
  });

  it('does not wait for a fetch whose next steps call other subgraphs', async () => {
    const { sent, batches } = recording();
    const slow = pendingAnswer();
    const inFlight = batches.inFlight(new Set(['inventory']), () => slow.answered);
    await batches.add('reviews', 1);
    expect(sent).toEqual([['reviews', [1]]]);
    slow.answer();
    await inFlight;
  });

  it('sends a waiting batch when the fetch it waited for fails', async () => {
    const { sent, batches } = recording();
    const failing = pendingAnswer();
    const inFlight = batches.inFlight(new Set(['reviews']), () => failing.answered).catch((error: Error) => error.message);
    const waiting = batches.add('reviews', 1);
    failing.fail(new Error('accounts is down'));
    expect(await inFlight).toBe('accounts is down');
    await waiting;
    expect(sent).toEqual([['reviews', [1]]]);
  });
});
