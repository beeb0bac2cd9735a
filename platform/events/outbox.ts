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
  for (const listener of outboxWriteListeners) listener();
  return event;
}
