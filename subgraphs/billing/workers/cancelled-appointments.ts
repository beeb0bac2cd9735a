import { emit } from '../../../platform/events/outbox.ts';
import { reaction } from '../../../platform/events/reaction.ts';
import { billingStores } from '../stores.ts';
import { everyRow } from '../../../platform/subgraph/row-scope.ts';

/** A cancelled appointment is not billed: its charges not yet invoiced are voided. Invoiced ones stay, for a person to credit. */
export const cancelledAppointmentCharges = reaction('billing-cancellations', 'org.healthgraph.appointment.cancelled.v1', async (tx, { appointmentId }) => {
  for (const charge of await billingStores(tx, everyRow).charges.voidPendingOfAppointment(appointmentId)) {
    await emit(tx, 'org.healthgraph.charge.voided.v1', { chargeId: charge.id, appointmentId, patientId: charge.patientId });
  }
});
