import { reaction } from '../../../platform/events/reaction.ts';
import { noteAppointments } from '../billable-appointments.ts';

/** Billing hears of each booking, so a capture on an appointment not yet seen is told apart from one that does not exist. */
export const bookedAppointments = reaction('billing-bookings', 'org.healthgraph.appointment.booked.v1', (tx, { appointmentId, patientId }) =>
  noteAppointments(tx, [{ appointmentId, patientId, status: 'BOOKED' }]),
);

/** A patient who did not come had no encounter: nothing to charge. */
export const noShowAppointments = reaction('billing-no-shows', 'org.healthgraph.appointment.no_show.v1', (tx, { appointmentId, patientId }) =>
  noteAppointments(tx, [{ appointmentId, patientId, status: 'NOSHOW' }]),
);
