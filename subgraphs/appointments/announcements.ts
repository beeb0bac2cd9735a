import type { Queryable } from '../../platform/database/database.ts';
import { emit } from '../../platform/events/outbox.ts';
import type { StatusChange } from './appointment-store.ts';
import type { Appointment } from './model.ts';

const about = ({ id, patientId }: Appointment) => ({ appointmentId: id, patientId });

/** The event each status change announces, in the transaction that makes the change. */
const statusEvents: Record<StatusChange, (tx: Queryable, appointment: Appointment) => Promise<unknown>> = {
  CONFIRMED: (tx, appointment) => emit(tx, 'org.healthgraph.appointment.confirmed.v1', about(appointment)),
  ARRIVED: (tx, appointment) => emit(tx, 'org.healthgraph.appointment.checked_in.v1', about(appointment)),
  // Billing prices the encounter by its service type, which it has no other way to learn.
  FULFILLED: (tx, appointment) => emit(tx, 'org.healthgraph.encounter.completed.v1', { ...about(appointment), serviceType: appointment.serviceType }),
  CANCELLED: (tx, appointment) => emit(tx, 'org.healthgraph.appointment.cancelled.v1', { ...about(appointment), slotId: appointment.slotId }),
  NOSHOW: (tx, appointment) => emit(tx, 'org.healthgraph.appointment.no_show.v1', about(appointment)),
};

/** Announces the change of `appointment` (as it now is) to `status`. */
export const announceStatus = (tx: Queryable, appointment: Appointment, status: StatusChange) => statusEvents[status](tx, appointment);
