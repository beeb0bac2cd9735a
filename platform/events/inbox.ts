import type { Queryable } from '../database/database.ts';

/**
 * Runs a consumer's `work` for an event once: the event id is recorded in the same transaction as
 * the work's change, so a redelivery (the log delivers at least once) is a no-op. `consumer` names
 * the handling component (its group), not a replica. Resolves with whether the work ran.
 */
export async function processedOnce(tx: Queryable, consumer: string, eventId: string, work: () => Promise<void>): Promise<boolean> {
  const claimed = await tx.query(
    'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id',
    [consumer, eventId],
  );
  if (claimed.length === 0) return false;
  await work();
  return true;
}
