import { reaction } from '../../../platform/events/reaction.ts';
import { RowScope } from '../../../platform/subgraph/row-scope.ts';
import { noteAppointments } from '../billable-appointments.ts';
import { captureCharges } from '../charge-capture.ts';

/** Any service not listed is billed as an office visit of low complexity. */
const OFFICE_VISIT = '99213';

/** The visit an encounter of each service type bills by itself; procedures are captured by staff. */
const VISIT_CODES: Record<string, readonly string[]> = {
  cardiology: ['99214', '93000'],
  physiotherapy: ['97110'],
};

const visitCodesOf = (serviceType: string) => [...(VISIT_CODES[serviceType] ?? [OFFICE_VISIT])];

/**
 * A completed encounter becomes billable, and is charged its visit. Codes staff already captured
 * for it are left out, not refused.
 */
export const encounterCharges = reaction('billing-encounters', 'org.healthgraph.encounter.completed.v1', async (tx, { appointmentId, patientId, serviceType }) => {
  await noteAppointments(tx, [{ appointmentId, patientId, status: 'FULFILLED' }]);
  await captureCharges(tx, RowScope.background('billing-encounters'), { appointmentId, patientId, codes: visitCodesOf(serviceType) }, 'leave out');
});
