import type { Queryable } from '../database/database.ts';
import type { EventPayloads, EventType } from './catalog.ts';
import { aggregateIdOf, domainEvent, type DomainEvent } from './envelope.ts';

const outboxWriteListeners = new Set<() => void>();

/** Relays in this process hear of a write at once, so latency is not their poll interval. */
export function onOutboxWrite(listener: () => void): () => void {
  outboxWriteListeners.add(listener);
  return () => outboxWriteListeners.delete(listener);
}

/**
 * Records an event in the caller's transaction: the change and its announcement commit together
 * or not at all. The relay publishes it after the commit.
 */
export async function emit<T extends EventType>(tx: Queryable, type: T, data: EventPayloads[T]): Promise<DomainEvent> {
  const [next] = await tx.query<{ sequence: number }>(
    `INSERT INTO outbox_sequences (aggregate_id, sequence) VALUES ($1, 1)
     ON CONFLICT (aggregate_id) DO UPDATE SET sequence = outbox_sequences.sequence + 1 RETURNING sequence`,
    [aggregateIdOf(type, data)],
  );
  const event = domainEvent(type, data, next!.sequence);
  await tx.query('INSERT INTO outbox (event) VALUES ($1)', [JSON.stringify(event)]);
  notifyRelays();
  return event;
}

function notifyRelays() {
  for (const listener of outboxWriteListeners) listener();
}

/**
 * Records an event whose id and sequence the caller derives from what it announces, unless the
 * outbox already holds that id: a writer that may run twice (a workflow step cut short by a crash
 * runs again) announces once. Answers whether this call wrote it.
 */
export async function emitOnce<T extends EventType>(db: Queryable, type: T, data: EventPayloads[T], { id, sequence }: { id: string; sequence: number }): Promise<boolean> {
  const event = domainEvent(type, data, sequence, new Date(), id);
  const written = await db.query(
    `INSERT INTO outbox (event) VALUES ($1::jsonb) ON CONFLICT ((event->>'id')) DO NOTHING RETURNING seq`,
    [JSON.stringify(event)],
  );
  if (written.length) notifyRelays();
  return written.length > 0;
}
