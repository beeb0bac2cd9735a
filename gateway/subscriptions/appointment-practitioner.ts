import type { Caller } from '../../platform/caller.ts';
import type { LoggedEvent } from '../../platform/events/event-log.ts';
import { entityQuery, ENTITY_ID } from './entity-query.ts';
import { entityIdOf, topics } from './event-topics.ts';
import type { ReadAs } from './gateway-reads.ts';

const appointment = topics.appointmentEvents.entities.appointment;
const PRACTITIONER = entityQuery(appointment, '{ practitioner { id } }');

/**
 * The practitioner of an appointment event, for the `practitionerId` filter: events carry no
 * practitioner, so it is read through the gateway as the subscriber (undefined when they may not
 * read it, or it could not be read).
 */
export function appointmentPractitioner(readAs: ReadAs) {
  return async (caller: Caller, logged: LoggedEvent): Promise<string | undefined> => {
    const id = entityIdOf(logged.event, appointment);
    if (id === undefined) return undefined;
    const { data } = await readAs(caller, PRACTITIONER, { [ENTITY_ID]: id }).catch(() => ({ data: null }));
    return (data?.appointment as { practitioner?: { id?: string } | null } | null)?.practitioner?.id;
  };
}
