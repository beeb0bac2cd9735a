import type { Backoff } from './backoff.ts';
import type { DomainEvent } from './envelope.ts';
import type { Failure } from './failure.ts';
import type { OnReconnect, RunningLoop } from './loop.ts';

/** Before every log id: reading after it starts at the oldest event kept. */
export const LOG_START = '0-0';

/** An event and its position in the log (`<ms>-<n>`, increasing; what a subscriber resumes after). */
export interface LoggedEvent {
  logId: string;
  event: DomainEvent;
}

export type EventHandler = (logged: LoggedEvent) => Promise<void> | void;

export interface SubscribeOptions {
  batchSize?: number;
  /** How long one read waits for new events before asking again. */
  blockMs?: number;
  /** Between tries while the log is unreachable. */
  backoff?: Backoff;
}

export interface ConsumeOptions extends SubscribeOptions {
  /** Attempts of a failing handler before its event is dead-lettered. */
  maxAttempts?: number;
  /** Between a failed attempt and the next, and between tries while the log is unreachable. */
  backoff?: Backoff;
  /**
   * An event delivered to a consumer that has not acknowledged it for this long (a replica that
   * died) goes to another. Longer than any handler run, or an event is handled twice.
   */
  claimIdleMs?: number;
}

/** An event a group gave up on, with why; `replayDeadLetters` hands it to the group again. */
export interface DeadLetter extends LoggedEvent {
  group: string;
  attempts: number;
  error: Failure;
  failedAt: string;
}

/** How far a consumer group is behind, for operations. */
export interface ConsumerGroupState {
  group: string;
  /** Events in the log not yet delivered to the group. */
  lag: number;
  /** Delivered, not yet acknowledged (being handled or retried, or left by a consumer that died). */
  pending: number;
  deadLetters: number;
  /** When the oldest event the group has not acknowledged was appended; absent when it is caught up. */
  oldestUnhandledAt?: Date;
}

/**
 * The ordered, replayable log of domain events (Redis Streams, or in memory embedded). Delivery is
 * at least once: handlers deduplicate by event id (see processedOnce).
 */
/** An outbox row being published: which service's outbox (its schema), and its place in the order that outbox's rows were published. */
export interface OutboxPosition {
  origin: string;
  publication: string;
}

export interface EventLog {
  /**
   * Resolves with the log id once the log has the event; rejects quickly while the log is
   * unreachable. With `from`, the log also records, in the same step, that the origin's outbox is
   * published through that row.
   */
  append(event: DomainEvent, from?: OutboxPosition): Promise<string>;
  /**
   * The publication number of the last outbox row of `origin` the log has, as recorded by append; undefined when the log
   * holds none, as after a Redis that came back empty.
   */
  publishedThrough(origin: string): Promise<string | undefined>;
  /**
   * Every event with a log id below this one was handled by every consumer group: acknowledged, and
   * neither dead-lettered nor replayed and waiting (LOG_START when there is no group).
   */
  handledBelow(): Promise<string>;
  /** Up to `count` events after `afterId`, oldest first: replay. */
  read(afterId: string, count?: number): Promise<LoggedEvent[]>;
  /** The newest event's id (LOG_START when empty): where a subscriber that wants only what follows starts. */
  lastId(): Promise<string>;
  /**
   * Hands this subscriber every event after `afterId`, in order, resuming from the last one handled
   * after an outage. A handler error is logged and the subscriber moves on: use consume() for work
   * that must be retried.
   */
  subscribe(afterId: string, handler: EventHandler, options?: SubscribeOptions): RunningLoop;
  /**
   * Joins `consumer` to `group`: each event goes to one consumer of the group, is retried with
   * backoff while the handler fails, then dead-lettered. A new group starts at the oldest event kept.
   */
  consume(group: string, consumer: string, handler: EventHandler, options?: ConsumeOptions): RunningLoop;
  deadLetters(group: string): Promise<DeadLetter[]>;
  /** Hands the group's dead letters to it again; resolves with how many. */
  replayDeadLetters(group: string): Promise<number>;
  /** Every consumer group of the log. */
  groups(): Promise<ConsumerGroupState[]>;
  /** Each time the log is reachable again after it was lost: loops waiting out an outage resume at once. */
  onReconnect: OnReconnect;
  close(): Promise<void>;
}
