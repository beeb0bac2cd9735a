import { hostname } from 'node:os';
import type { Database, Queryable } from '../database/database.ts';
import type { Logger } from '../logger.ts';
import type { EventPayloads, EventType } from './catalog.ts';
import type { ConsumeOptions, EventLog } from './event-log.ts';
import { processedOnce } from './inbox.ts';
import type { RunningLoop } from './loop.ts';

/** A consumer group's work on the events of its types, in the transaction that records each as handled. */
export interface Reaction {
  /** The consumer group; handled events are recorded under its name too. */
  group: string;
  types: readonly EventType[];
  /** Resolves with a reason when it did nothing on purpose (a business rule said no), for the log. */
  work(tx: Queryable, data: unknown, type: EventType): Promise<SkipReason | void>;
}

/** A stable code, never a message: messages may quote data. */
export type SkipReason = { skipped: string };

export const reaction = <T extends EventType>(group: string, type: T, work: (tx: Queryable, data: EventPayloads[T]) => Promise<SkipReason | void>): Reaction => ({
  group,
  types: [type],
  work: (tx, data) => work(tx, data as EventPayloads[T]),
});

/** One group's work on several types, for events that must be handled in the order they were published (a change and its undoing). */
export const reactionToEach = <T extends EventType>(
  group: string,
  works: { [K in T]: (tx: Queryable, data: EventPayloads[K]) => Promise<SkipReason | void> },
): Reaction => ({
  group,
  types: Object.keys(works) as T[],
  work: (tx, data, type) => (works[type as T] as (tx: Queryable, data: unknown) => Promise<SkipReason | void>)(tx, data),
});

/** This process among a group's replicas: what it leaves unacknowledged when it dies, another claims. */
const consumer = `${hostname()}-${process.pid}`;

/**
 * Each reaction as a consumer group of its own, so one that keeps failing holds up no other. An
 * event's work runs once (a redelivery is a no-op); a failing one is retried with backoff, then
 * dead-lettered, by the log (see `options`). Events of other types are passed over.
 */
export function startReactions(db: Database, log: EventLog, reactions: readonly Reaction[], options: ConsumeOptions, logger: Logger): RunningLoop {
  const loops = reactions.map(({ group, types, work }) => {
    const groupLogger = logger.child({ group });
    return log.consume(
      group,
      consumer,
      async ({ event }) => {
        const type = types.find((handled) => handled === event.type);
        if (!type) return;
        const outcome: { skipped?: SkipReason } = {};
        const ran = await db.transaction((tx) =>
          processedOnce(tx, group, event.id, async () => {
            outcome.skipped = (await work(tx, event.data, type)) || undefined;
          }),
        );
        if (outcome.skipped) groupLogger.warn({ eventId: event.id, subject: event.subject, ...outcome.skipped }, 'event handled: nothing done');
        else groupLogger.info({ eventId: event.id, subject: event.subject, ran }, ran ? 'event handled' : 'event already handled');
      },
      options,
    );
  });
  return {
    async close() {
      await Promise.all(loops.map((loop) => loop.close()));
    },
  };
}
