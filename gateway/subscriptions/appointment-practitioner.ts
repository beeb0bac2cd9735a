import type { Caller } from '../../platform/caller.ts';
import type { LoggedEvent } from '../../platform/events/event-log.ts';
import { boundedCache, cachedOr } from '../../platform/cache.ts';
import { entityQuery } from './entity-query.ts';
import type { ReadEntity } from './entity-reads.ts';
import { entityIdOf, topics } from '../../platform/events/topics.ts';

const appointment = topics.appointmentEvents.entities.appointment;
const PRACTITIONER = entityQuery(appointment, '{ practitioner { id } }');

/** Whether an appointment event is about `practitionerId`'s appointment, for callers of class `callerClass`. */
export type PractitionerMatch = (callerClass: string, caller: Caller, logged: LoggedEvent, practitionerId: string) => Promise<boolean>;

/**
 * The `practitionerId` filter. Events carry no practitioner, so the appointment's is read through
 * the gateway as the subscriber, once per event and class of caller; one they may not read, or
 * that could not be read, matches no practitioner.
 */
export function appointmentPractitioner(readEntity: ReadEntity, cacheSize: number): PractitionerMatch {
  const known = boundedCache<string, Promise<string | undefined>>(cacheSize);

  async function practitionerOf(callerClass: string, caller: Caller, logged: LoggedEvent): Promise<string | undefined> {
    const id = entityIdOf(logged.event, appointment);
    if (id === undefined) return undefined;
    const { entity } = await readEntity(callerClass, caller, PRACTITIONER, {}, id).catch(() => ({ entity: null }));
    return (entity as { practitioner?: { id?: string } | null } | null)?.practitioner?.id;
  }

  return async (callerClass, caller, logged, practitionerId) => {
    const key = `${callerClass}\n${logged.logId}`;
    return (await cachedOr(known, key, () => practitionerOf(callerClass, caller, logged))) === practitionerId;
  };
}
