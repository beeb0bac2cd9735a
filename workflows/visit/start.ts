import { DBOS } from '@dbos-inc/dbos-sdk';
import { CURRENT_VISIT, VISIT_QUEUE } from '../registry.ts';
import { wakeWorkflow } from '../waits.ts';
import type { VisitRequest } from './request.ts';
import { APPOINTMENT_CHANGED, VISIT_STATE_EVENT, type VisitState } from './state.ts';

/** One preparation per appointment: its id is the workflow's, so a redelivered confirmation starts nothing new. */
export const visitWorkflowId = (appointmentId: string) => `visit-${appointmentId}`;

/** Puts the appointment's visit preparation on the queue (on the current version), unless it has one; answers its id. */
export async function startAppointmentVisit(request: VisitRequest): Promise<string> {
  const id = visitWorkflowId(request.appointmentId);
  await DBOS.enqueueWorkflowWithOptions({ queueName: VISIT_QUEUE, workflowName: CURRENT_VISIT, workflowID: id }, request);
  return id;
}

/** Where an appointment's visit preparation stands; null when it has none. */
export async function appointmentVisitState(appointmentId: string): Promise<VisitState | null> {
  return DBOS.getEvent<VisitState>(visitWorkflowId(appointmentId), VISIT_STATE_EVENT, 0);
}

/** Tells the appointment's running preparation that it changed (it looks at once); `eventId` makes a redelivery the same message. */
export const appointmentChanged = (appointmentId: string, eventId: string) => wakeWorkflow(visitWorkflowId(appointmentId), APPOINTMENT_CHANGED, eventId);
