import type { Database } from '../../../platform/database/database.ts';
import type { DomainEvent } from '../../../platform/events/envelope.ts';
import { describeFailure } from '../../../platform/events/failure.ts';
import { emit } from '../../../platform/events/outbox.ts';
import { SyncStore } from '../sync-store.ts';

/**
 * Records a failed attempt at an event. The log dead-letters an event after `maxAttempts` failures
 * (again after each replay), and then odoo.sync_failed tells operations, with the failure's code only.
 */
export async function recordFailedAttempt(db: Database, event: DomainEvent, error: unknown, maxAttempts: number): Promise<void> {
  const reason = describeFailure(error).code;
  await db.transaction(async (tx) => {
    const attempts = await new SyncStore(tx).recordFailure(event.id, event.type, reason);
    if (attempts % maxAttempts !== 0) return;
    await emit(tx, 'org.healthgraph.odoo.sync_failed.v1', {
      eventId: event.id,
      eventType: event.type,
      subject: event.subject,
      ...(event.patientid && { patientId: event.patientid }),
      attempts,
      reason,
    });
  });
}
