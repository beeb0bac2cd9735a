import type { RequestScope } from '../../platform/subgraph/service.ts';
import type DataLoader from 'dataloader';
import type { Database } from '../../platform/database/database.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import { childrenLoader, entityLoader } from '../../platform/subgraph/loaders.ts';
import { ReferenceCache } from '../../platform/subgraph/reference-cache.ts';
import { AppointmentStore } from './appointment-store.ts';
import type { AppointmentCriteria, AppointmentStatus, Location, Practitioner } from './model.ts';
import { ReferenceStore } from './reference-store.ts';
import { SchedulingStore } from './scheduling-store.ts';

/**
 * childrenLoader for a list field with arguments: one DataLoader per distinct argument set, so
 * sibling fields asked with the same arguments still share one query.
 */
function childrenLoaderByArguments<A, T>(fetch: (parentIds: readonly string[], args: A) => Promise<T[]>, parentOf: (child: T) => string) {
  const loaders = new Map<string, DataLoader<string, T[]>>();
  return (args: A) => {
    const key = JSON.stringify(args);
    let loader = loaders.get(key);
    if (!loader) {
      loader = childrenLoader((parentIds) => fetch(parentIds, args), parentOf);
      loaders.set(key, loader);
    }
    return loader;
  };
}

/** A day schedule leaves out cancelled appointments: their slot may hold another one now. */
const scheduled: AppointmentStatus[] = ['BOOKED', 'CONFIRMED', 'ARRIVED', 'FULFILLED', 'NOSHOW'];

function utcDay(date: string): Pick<AppointmentCriteria, 'from' | 'to'> {
  const from = new Date(`${date}T00:00:00Z`);
  const to = new Date(from);
  to.setUTCDate(to.getUTCDate() + 1);
  return { from, to };
}

/** Practitioners and locations across requests, one set per database (a process may serve several, as tests do). */
const referenceCaches = new WeakMap<Database, { practitioners: ReferenceCache<Practitioner>; locations: ReferenceCache<Location> }>();

function referenceOf(db: Database) {
  let reference = referenceCaches.get(db);
  if (!reference) {
    reference = { practitioners: new ReferenceCache((practitioner) => practitioner.id), locations: new ReferenceCache((location) => location.id) };
    referenceCaches.set(db, reference);
  }
  return reference;
}

/** Per request: the stores and one DataLoader per entity type or nested list. Appointments keep to the caller's rows; the schedule itself is public. */
export function appointmentsContext(db: Database, scope: RowScope) {
  const scheduling = new SchedulingStore(db);
  const store = new AppointmentStore(db, scope);
  const reference = referenceOf(db);
  return {
    db,
    scheduling,
    store,
    /** What a write to a practitioner or location must `forget`. */
    reference,
    practitioners: entityLoader((ids) => reference.practitioners.byIds(ids, (missing) => scheduling.practitionersByIds(missing)), (practitioner) => practitioner.id),
    locations: entityLoader((ids) => reference.locations.byIds(ids, (missing) => scheduling.locationsByIds(missing)), (location) => location.id),
    practitionerSchedules: childrenLoader((ids) => new ReferenceStore(db).schedulesOf(ids), (schedule) => schedule.practitionerId),
    slots: entityLoader((ids) => scheduling.slotsByIds(ids), (slot) => slot.id),
    appointments: entityLoader((ids) => store.appointmentsByIds(ids), (appointment) => appointment.id),
    appointmentsOfPatients: childrenLoaderByArguments(
      (patientIds, criteria: Omit<AppointmentCriteria, 'patientIds'>) => store.find({ ...criteria, patientIds }, 'newest first'),
      (appointment) => appointment.patientId,
    ),
    daySchedules: childrenLoaderByArguments(
      (practitionerIds, date: string) => store.find({ ...utcDay(date), practitionerIds, statuses: scheduled }, 'in time order'),
      (appointment) => appointment.practitionerId,
    ),
  };
}

/** What a resolver gets: the request's scope and caller too. */
export type AppointmentsContext = ReturnType<typeof appointmentsContext> & RequestScope;
