// The outbox relay prunes what the log says every group handled (handledBelow). A consumer dead-letters
// an event while that is being read: the event moves from the group's pending entries to its dead
// letters in one step, and must be seen in one place or the other, or its outbox row is pruned and a
// log that comes back empty loses it (seen as test/events/empty-redis.test.ts failing on a busy machine).
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../platform/events/log-ids.ts';
import { deadLetterFields, loggedEvent, redeliveryFields } from '../../platform/events/log-entries.ts';
import { memoryStreamStore } from '../../platform/events/memory-stream-store.ts';
import { streamEventLog } from '../../platform/events/stream-event-log.ts';
import type { StreamStore } from '../../platform/events/stream-store.ts';
import { createLogger } from '../../platform/logger.ts';
import { booked } from './event-logs.ts';

const GROUP = 'charges';
const LOG = 'events';
const REDELIVERIES = `${LOG}:redeliver:${GROUP}`;
const DEAD = `${LOG}:dead:${GROUP}`;
const failure = { code: 'CAPTURE_FAILED', message: 'the charge could not be captured' };
const logger = createLogger('handled-below-test');

/** The store as the log reads it, except that the consumer dead-letters `stream`'s pending entry just after the log read the dead letters. */
function deadLetteredWhileRead(store: StreamStore, stream: string, id: string): StreamStore {
  let moved = false;
  return {
    ...store,
    async range(name, afterId, count) {
      const entries = await store.range(name, afterId, count);
      if (name === DEAD && !moved) {
        moved = true;
        const [entry] = (await store.range(stream, '0-0', 1_000)).filter((candidate) => candidate.id === id);
        await store.ackAndAdd(stream, GROUP, id, DEAD, deadLetterFields(loggedEvent(entry!), 2, failure));
      }
      return entries;
    },
  };
}

describe('handledBelow while a consumer dead-letters an event', () => {
  it.each([
    ['delivered from the log', false],
    ['replayed from its dead letters and failing again', true],
  ])('never passes an event %s', async (_, replayed) => {
    const store = memoryStreamStore();
    const log = streamEventLog(store, { maxLength: 1_000, logger });
    const eventId = await log.append(booked(1));
    await store.createGroup([LOG, REDELIVERIES], GROUP);
    const reader = store.openReader(10);
    await reader.readGroup(GROUP, 'replica-1', [LOG], 10);
    let pending = { stream: LOG, id: eventId };
    if (replayed) {
      // It failed, was dead-lettered, replayed by the operator, and is delivered again.
      const [entry] = await store.range(LOG, '0-0', 10);
      await store.ackAndAdd(LOG, GROUP, eventId, DEAD, deadLetterFields(loggedEvent(entry!), 2, failure));
      expect(await log.replayDeadLetters(GROUP)).toBe(1);
      const [redelivered] = await reader.readGroup(GROUP, 'replica-1', [REDELIVERIES], 10);
      pending = { stream: REDELIVERIES, id: redelivered!.id };
      expect(loggedEvent(redelivered!).logId).toBe(eventId);
      expect(redelivered!.fields).toMatchObject(redeliveryFields(loggedEvent(entry!)));
    }

    const racing = streamEventLog(deadLetteredWhileRead(store, pending.stream, pending.id), { maxLength: 1_000, logger });
    expect(compareIds(await racing.handledBelow(), eventId)).toBeLessThanOrEqual(0);
    // Once it is a dead letter, it is owed from there.
    expect((await log.deadLetters(GROUP)).map(({ logId }) => logId)).toEqual([eventId]);
    expect(compareIds(await log.handledBelow(), eventId)).toBeLessThanOrEqual(0);
    await reader.close();
    await store.close();
  });
});
