import type { Queryable } from '../../platform/database/database.ts';
import { once } from '../../platform/database/idempotency.ts';
import { DateScalar, DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { pageSize } from '../../platform/validation.ts';
import type { StatusChange } from './appointment-store.ts';
import { Booking } from './booking.ts';
import type { AppointmentsContext } from './context.ts';
import type { Appointment, AppointmentStatus, Practitioner, Schedule, Slot } from './model.ts';
import { requireReferences } from './reference-import.ts';
import { ReferenceStore } from './reference-store.ts';
import { admitSchedule } from './schedule-overlap.ts';
import { validLocation, validPractitioner, validSchedule } from './reference-validation.ts';
import type { SlotSearch } from './scheduling-store.ts';
import { requireWindow, validPatientId, validReason } from './validation.ts';
import { serviceOperationsResolver, replayDeadLettersResolver } from '../../platform/subgraph/service-operations.ts';

type Context = AppointmentsContext;

/** The SDL's default for `first`, also when a caller sends an explicit null. */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
const MAX_SLOT_WINDOW_DAYS = 31;

interface TimeWindow {
  from?: Date | null;
  to?: Date | null;
}

interface AppointmentFilter extends TimeWindow {
  practitionerId?: string | null;
  patientId?: string | null;
  status?: AppointmentStatus[] | null;
}

function optionalWindow({ from, to }: TimeWindow, field: string) {
  if (from && to) requireWindow(from, to, field);
  return { from: from ?? undefined, to: to ?? undefined };
}

/**
 * One transaction per write. A document may hold several mutations, so the loaders then forget the
 * slots and appointments the write may have changed.
 */
async function write<T>(context: Context, work: (booking: Booking, tx: Queryable) => Promise<T>): Promise<T> {
  const result = await context.db.transaction((tx) => work(new Booking(tx, context.scope), tx));
  context.slots.clearAll();
  context.appointments.clearAll();
  return result;
}

const changeStatus = (context: Context, id: string, to: StatusChange, cancellationReason?: string | null) =>
  write(context, (booking) => booking.changeStatus(id, to, cancellationReason));

type EntityLoader = 'practitioners' | 'locations' | 'slots' | 'appointments';
/**
 * An administrator's write of reference data, in one transaction, put on record as an action (who
 * saved which record, in the trail's `actionTrail`); the loaders forget what it may have changed.
 */
async function saveReference<T>(context: Context, action: string, id: string, work: (store: ReferenceStore) => Promise<T>): Promise<T> {
  const result = await context.db.transaction((tx) => work(new ReferenceStore(tx)));
  context.scope.acted(action, id);
  // Kept across requests too: this replica shows the change at once, the others within their 30 s.
  context.reference.practitioners.forget(id);
  context.reference.locations.forget(id);
  context.practitioners.clearAll();
  context.practitionerSchedules.clearAll();
  context.locations.clearAll();
  context.slots.clearAll();
  return result;
}

/** Federation's entity references, batched per type. */
const reference = (loader: EntityLoader) => ({ id }: { id: string }, context: Context) => context[loader].load(id);
const byId = (loader: EntityLoader) => (_: unknown, args: { id: string }, context: Context) => reference(loader)(args, context);

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    appointmentsOperations: serviceOperationsResolver,
    availableSlots(
      _: unknown,
      args: { filter?: Omit<SlotSearch, 'from' | 'to'> | null; from: Date; to: Date; first?: number | null },
      { scheduling }: Context,
    ) {
      requireWindow(args.from, args.to, 'availableSlots', MAX_SLOT_WINDOW_DAYS);
      return scheduling.freeSlots({ ...args.filter, from: args.from, to: args.to }, pageSize(args.first ?? DEFAULT_PAGE, MAX_PAGE));
    },
    appointment: byId('appointments'),
    appointments(
      _: unknown,
      { filter, first }: { filter: AppointmentFilter; first?: number | null },
      { store }: Context,
    ) {
      const criteria = {
        ...optionalWindow(filter, 'filter'),
        patientIds: filter.patientId ? [filter.patientId] : undefined,
        practitionerIds: filter.practitionerId ? [filter.practitionerId] : undefined,
        statuses: filter.status ?? undefined,
      };
      return store.find(criteria, 'in time order', pageSize(first ?? DEFAULT_PAGE, MAX_PAGE));
    },
    practitioners: (_: unknown, __: unknown, { scheduling }: Context) => scheduling.allPractitioners(),
    practitioner: byId('practitioners'),
    locations: (_: unknown, __: unknown, { scheduling }: Context) => scheduling.allLocations(),
  },
  Practitioner: {
    __resolveReference: reference('practitioners'),
    name: ({ name }: Practitioner) => ({ ...name, text: `${name.given.join(' ')} ${name.family}` }),
    schedule: (practitioner: Practitioner, { date }: { date: string }, { daySchedules }: Context) => daySchedules(date).load(practitioner.id),
    schedules: (practitioner: Practitioner, _: unknown, { practitionerSchedules }: Context) => practitionerSchedules.load(practitioner.id),
  },
  Location: {
    __resolveReference: reference('locations'),
  },
  Schedule: {
    practitioner: (schedule: Schedule, _: unknown, { practitioners }: Context) => practitioners.load(schedule.practitionerId),
    location: (schedule: Schedule, _: unknown, { locations }: Context) => locations.load(schedule.locationId),
  },
  Slot: {
    __resolveReference: reference('slots'),
    practitioner: (slot: Slot, _: unknown, { practitioners }: Context) => practitioners.load(slot.practitionerId),
    location: (slot: Slot, _: unknown, { locations }: Context) => locations.load(slot.locationId),
  },
  Appointment: {
    __resolveReference: reference('appointments'),
    practitioner: (appointment: Appointment, _: unknown, { practitioners }: Context) => practitioners.load(appointment.practitionerId),
    location: (appointment: Appointment, _: unknown, { locations }: Context) => locations.load(appointment.locationId),
    slot: (appointment: Appointment, _: unknown, { slots }: Context) => slots.load(appointment.slotId),
    // The patients subgraph resolves the rest; no query here.
    patient: (appointment: Appointment) => ({ __typename: 'Patient', id: appointment.patientId }),
  },
  Patient: {
    appointments: (patient: { id: string }, args: Pick<AppointmentFilter, 'status' | 'from' | 'to'>, { appointmentsOfPatients }: Context) =>
      appointmentsOfPatients({ ...optionalWindow(args, 'appointments'), statuses: args.status ?? undefined }).load(patient.id),
  },
  Mutation: {
    replayAppointmentsDeadLetters: replayDeadLettersResolver,
    async savePractitioner(_: unknown, { input }: { input: Record<string, unknown> }, context: Context) {
      const practitioner = validPractitioner(input);
      await saveReference(context, 'savePractitioner', practitioner.id, (store) => store.savePractitioners([practitioner]));
      return context.practitioners.load(practitioner.id);
    },
    async saveLocation(_: unknown, { input }: { input: Record<string, unknown> }, context: Context) {
      const location = validLocation(input);
      await saveReference(context, 'saveLocation', location.id, (store) => store.saveLocations([location]));
      return context.locations.load(location.id);
    },
    async saveSchedule(_: unknown, { input }: { input: Record<string, unknown> }, context: Context) {
      const schedule = validSchedule(input);
      return saveReference(context, 'saveSchedule', schedule.id, async (store) => {
        await requireReferences(store, schedule);
        admitSchedule(schedule, await store.lockedSchedulesOf([schedule.practitionerId]));
        await store.saveSchedules([schedule]);
        return schedule;
      });
    },
    async bookAppointment(
      _: unknown,
      args: { slotId: string; patientId: string; reason?: string | null; idempotencyKey?: string | null },
      context: Context,
    ) {
      const request = { slotId: args.slotId, patientId: validPatientId(args.patientId), reason: validReason(args.reason) };
      const id = await write(context, (booking, tx) =>
        once(tx, { key: args.idempotencyKey, caller: context.caller, operation: 'bookAppointment' }, request, () => booking.book(request.slotId, request.patientId, request.reason)),
      );
      return context.appointments.load(id);
    },
    confirmAppointment: (_: unknown, { id }: { id: string }, context: Context) => changeStatus(context, id, 'CONFIRMED'),
    cancelAppointment: (_: unknown, { id, reason }: { id: string; reason?: string | null }, context: Context) =>
      changeStatus(context, id, 'CANCELLED', validReason(reason)),
    rescheduleAppointment: (_: unknown, { id, slotId }: { id: string; slotId: string }, context: Context) =>
      write(context, (booking) => booking.reschedule(id, slotId)),
    checkInAppointment: (_: unknown, { id }: { id: string }, context: Context) => changeStatus(context, id, 'ARRIVED'),
    completeEncounter: (_: unknown, { appointmentId }: { appointmentId: string }, context: Context) =>
      changeStatus(context, appointmentId, 'FULFILLED'),
    markNoShow: (_: unknown, { id }: { id: string }, context: Context) => changeStatus(context, id, 'NOSHOW'),
  },
};
