import type { Logger } from '../logger.ts';
import { consumeGroup } from './consumer-group.ts';
import { LOG_START, type EventLog } from './event-log.ts';
import { appendedAt, compareIds, lowestId } from './log-ids.ts';
import { appendedFields, deadLetter, loggedEvent, redeliveryFields } from './log-entries.ts';
import type { StreamStore } from './stream-store.ts';
import { subscribeTo } from './subscription.ts';

/**
 * One stream for every domain event, not one per domain: a subscriber resumes from a single id and
 * sees events across domains in the order they were published; consumers filter on `type`. Each
 * group has its own stream of replayed dead letters beside it, so a replay reaches that group only.
 */
const LOG = 'events';
const redeliveriesOf = (group: string) => `${LOG}:redeliver:${group}`;
const deadLettersOf = (group: string) => `${LOG}:dead:${group}`;
const publishedThroughOf = (origin: string) => `${LOG}:published:${origin}`;

export interface StreamEventLogSettings {
  /** Events kept for replay; older ones are trimmed (Redis: about this many). */
  maxLength: number;
  logger: Logger;
}

export function streamEventLog(store: StreamStore, { maxLength, logger }: StreamEventLogSettings): EventLog {
  /**
   * Log ids of the group's events that it acknowledged without handling them: its dead letters,
   * and the replayed ones it has not handled yet. Their outbox rows must stay, or a log that came
   * back empty would lose them for good. An event moves while this reads (pending to dead letter,
   * dead letter to replayed), so each place is read before the one it moves to: seen in one or both.
   */
  async function owedBy(group: string): Promise<string[]> {
    const replayedFrom = await store.handledBelow(redeliveriesOf(group));
    const dead = await store.range(deadLettersOf(group), LOG_START, maxLength);
    const replayed = (await store.range(redeliveriesOf(group), LOG_START, maxLength)).filter((entry) => compareIds(entry.id, replayedFrom) >= 0);
    return [...dead, ...replayed].map((entry) => loggedEvent(entry).logId);
  }

  return {
    append: (event, from) => store.add(LOG, appendedFields(event), maxLength, from && { key: publishedThroughOf(from.origin), value: from.publication }),
    publishedThrough: (origin) => store.markOf(publishedThroughOf(origin)),
    async handledBelow() {
      // The log's pending entries before the dead letters they may become (see owedBy).
      const handled = await store.handledBelow(LOG);
      const owed = await Promise.all((await store.groups(LOG)).map(({ name }) => owedBy(name)));
      return lowestId([handled, ...owed.flat()]);
    },
    read: async (afterId, count = 100) => (await store.range(LOG, afterId, count)).map(loggedEvent),
    lastId: () => store.lastId(LOG),
    subscribe: (afterId, handler, options = {}) => subscribeTo(store, LOG, afterId, handler, options, logger),
    consume: (group, consumer, handler, options = {}) =>
      consumeGroup(store, { sources: [LOG, redeliveriesOf(group)], deadLetters: deadLettersOf(group), maxLength }, group, consumer, handler, options, logger),
    async deadLetters(group) {
      return (await store.range(deadLettersOf(group), LOG_START, maxLength)).map((entry) => deadLetter(entry, group));
    },
    async replayDeadLetters(group) {
      const entries = await store.range(deadLettersOf(group), LOG_START, maxLength);
      for (const entry of entries) {
        await store.add(redeliveriesOf(group), redeliveryFields(loggedEvent(entry)), maxLength);
        await store.remove(deadLettersOf(group), entry.id);
      }
      return entries.length;
    },
    async groups() {
      return Promise.all(
        (await store.groups(LOG)).map(async ({ name, lag, pending, oldestUnhandledId }) => ({
          group: name,
          lag,
          pending,
          deadLetters: await store.length(deadLettersOf(name)),
          ...(oldestUnhandledId && { oldestUnhandledAt: appendedAt(oldestUnhandledId) }),
        })),
      );
    },
    onReconnect: store.onReconnect,
    close: () => store.close(),
  };
}
