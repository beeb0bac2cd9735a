import type { EventLog } from '../platform/events/event-log.ts';
import type { RunningLoop } from '../platform/events/loop.ts';
import type { Logger } from '../platform/logger.ts';
import { appointmentChanged, startAppointmentVisit } from './visit/start.ts';
import type { VisitRequest } from './visit/request.ts';
import { wakeWaiting } from './waits.ts';

/** The workflows room's consumer group on the event log. */
export const WORKFLOWS_GROUP = 'workflows';

export interface WorkflowEventSettings {
  /** This replica among the group's consumers (its executor id: two live replicas never share one). */
  consumer: string;
  /** What a new visit preparation starts with, besides its appointment. */
  visit: Omit<VisitRequest, 'appointmentId'>;
  logger: Logger;
}

/**
 * What the workflows do on the domain events: a consent recorded or a front-office task done wakes
 * the onboarding waiting on it; a confirmed appointment starts its visit preparation (once: the
 * workflow id is the appointment's), a cancelled one wakes it. Events carry ids; what more a
 * workflow needs it reads through the graph. Every action is idempotent, so a redelivery is harmless.
 */
export function startWorkflowEvents(eventLog: EventLog, { consumer, visit, logger }: WorkflowEventSettings): RunningLoop {
  const log = logger.child({ group: WORKFLOWS_GROUP });
  return eventLog.consume(
    WORKFLOWS_GROUP,
    consumer,
    async ({ event }) => {
      let acted: string | undefined;
      switch (event.type) {
        case 'org.healthgraph.consent.recorded.v1':
          acted = await wakeWaiting('consent', event.data.patientId, event.id);
          break;
        case 'org.healthgraph.odoo.activity_done.v1':
          acted = await wakeWaiting('task', String(event.data.odooActivityId), event.id);
          break;
        case 'org.healthgraph.appointment.confirmed.v1':
          acted = await startAppointmentVisit({ ...visit, appointmentId: event.data.appointmentId });
          break;
        case 'org.healthgraph.appointment.cancelled.v1':
          acted = await appointmentChanged(event.data.appointmentId, event.id);
          break;
        default:
          return;
      }
      // Ids only: the event's subject and the workflow it reached.
      log.info({ eventId: event.id, subject: event.subject, workflowId: acted }, acted ? 'event handed to a workflow' : 'event: no workflow waits on it');
    },
    { maxAttempts: 8, backoff: { initialMs: 1_000, maxMs: 30_000 } },
  );
}
