import type { Caller } from '../../platform/caller.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';

/**
 * Whether an event can concern the caller at all, from its routing extensions alone: a caller bound
 * to a patient hears of that patient's events only, one bound to an organisation of none naming
 * another. Not the row rule itself (the subgraphs apply it when the entity is read, a payer's
 * members included): it spares a resolution per bound subscriber class for events that could never
 * be theirs, which matters when every patient app is its own class.
 */
export function inAudience(caller: Caller, event: DomainEvent): boolean {
  if (caller.patientId) return event.patientid === caller.patientId;
  if (caller.organizationId && event.organizationid) return event.organizationid === caller.organizationId;
  return true;
}
