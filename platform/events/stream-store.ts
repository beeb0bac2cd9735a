import type { OnReconnect } from './loop.ts';

/**
 * The few Redis Streams operations the event log is built on. Redis implements them; the memory
 * store gives them the same semantics, so one event log runs on both.
 */
export type StreamFields = Record<string, string>;

export interface StreamEntry {
  id: string;
  fields: StreamFields;
}

/** An entry delivered to a consumer group, with the stream it came from (to acknowledge it there). */
export interface GroupEntry extends StreamEntry {
  stream: string;
}

/** A value set in the same step as an append, or not at all: where a writer stands in the stream. */
export interface Mark {
  key: string;
  value: string;
}

export interface GroupState {
  name: string;
  lag: number;
  pending: number;
  /** The oldest entry the group has not acknowledged (pending, else the first not delivered); none when it is caught up. */
  oldestUnhandledId?: string;
}

export interface StreamStore {
  /** Appends; with `maxLength`, old entries beyond it are trimmed (Redis: about that many); with `mark`, sets it too, atomically. */
  add(stream: string, fields: StreamFields, maxLength?: number, mark?: Mark): Promise<string>;
  /** A mark's value; undefined when the store has none (it never had, or it came back empty). */
  markOf(key: string): Promise<string | undefined>;
  /**
   * An id such that every entry of the stream below it has been acknowledged by every group on
   * the stream: delivered, and not pending. LOG_START when the stream has no group.
   */
  handledBelow(stream: string): Promise<string>;
  /** Up to `count` entries after `afterId`, oldest first. */
  range(stream: string, afterId: string, count: number): Promise<StreamEntry[]>;
  lastId(stream: string): Promise<string>;
  remove(stream: string, id: string): Promise<void>;
  /** Creates the group on each stream (and the stream) unless it exists, at the oldest entry. */
  createGroup(streams: readonly string[], group: string): Promise<void>;
  /** Takes over entries another consumer was given and has not acknowledged for `idleMs`. */
  claimIdle(stream: string, group: string, consumer: string, idleMs: number, count: number): Promise<GroupEntry[]>;
  /** Tells the group the consumer still works on an entry, so it is not claimed meanwhile. */
  keepClaimed(stream: string, group: string, consumer: string, id: string): Promise<void>;
  ack(stream: string, group: string, id: string): Promise<void>;
  /** Acknowledges an entry and appends to another stream in one step (dead letters). */
  ackAndAdd(stream: string, group: string, id: string, target: string, fields: StreamFields, maxLength?: number): Promise<void>;
  /** Each group on the stream: entries not yet delivered to it (lag) and delivered but unacknowledged (pending). */
  groups(stream: string): Promise<GroupState[]>;
  /** Entries in the stream now. */
  length(stream: string): Promise<number>;
  /** Blocking reads need a connection of their own: one per reader loop, waiting up to `blockMs` a read. */
  openReader(blockMs: number): StreamReader;
  /** Each time the store's connection is made again after it was lost (Redis back); never for memory. */
  onReconnect: OnReconnect;
  close(): Promise<void>;
}

export interface StreamReader {
  /** Up to `count` entries after `afterId`, waiting a while for one. */
  read(stream: string, afterId: string, count: number): Promise<StreamEntry[]>;
  /** Up to `count` entries of the streams never delivered to the group, now delivered to `consumer`. */
  readGroup(group: string, consumer: string, streams: readonly string[], count: number): Promise<GroupEntry[]>;
  /** Interrupts a waiting read. */
  close(): Promise<void>;
}
