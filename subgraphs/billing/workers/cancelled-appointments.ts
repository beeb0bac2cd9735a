import { emit } from '../../../platform/events/outbox.ts';
import { reaction } from '../../../platform/events/reaction.ts';
import { RowScope } from '../../../platform/subgraph/row-scope.ts';
import { noteAppointments } from '../billable-appointments.ts';
import { billingStores } from '../stores.ts';

/** A cancelled appointment is not billed: its charges not yet invoiced are voided. Invoiced ones stay, for a person to credit. */
export const cancelledAppointmentCharges = reaction('billing-cancellations', 'org.healthgraph.appointment.cancelled.v1', async (tx, { appointmentId, patientId }) => {
  await noteAppointments(tx, [{ appointmentId, patientId, status: 'CANCELLED' }]);
  for (const charge of await billingStores(tx, RowScope.background('billing-cancellations')).charges.voidPendingOfAppointment(appointmentId)) {
    await emit(tx, 'org.healthgraph.charge.voided.v1', { chargeId: charge.id, appointmentId, patientId: charge.patientId });
  }
});
