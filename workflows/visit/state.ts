import type { Money } from '../estimate.ts';
import type { StepRecord } from '../onboarding/state.ts';

/**
 * Where an appointment's visit preparation stands. Ids only: no patient data. SKIPPED: the
 * appointment was no longer confirmed when the workflow started; CLOSED: it was cancelled and
 * the task and estimate taken back; COMPLETED: the visit's time came (or the patient arrived).
 */
export type VisitStatus = 'RUNNING' | 'WAITING' | 'COMPLETED' | 'CLOSED' | 'SKIPPED' | 'FAILED';

export interface VisitState {
  id: string;
  definition: string;
  version: number;
  status: VisitStatus;
  /** While WAITING: on the appointment (its cancellation, or its time). */
  waitingOn: 'APPOINTMENT' | null;
  appointmentId: string;
  patientId?: string;
  /** The front office's "prepare the visit" activity in Odoo. */
  odooActivityId?: number;
  /** What the patient is expected to owe: a figure kept here only, WITHDRAWN when the appointment is cancelled. */
  estimate?: Money & { status: 'CURRENT' | 'WITHDRAWN' };
  steps: StepRecord[];
  /** Why it ended CLOSED, SKIPPED or FAILED: a stable code. */
  reason?: string;
}

/** The engine's event key the state is published under. */
export const VISIT_STATE_EVENT = 'visit.state';

/** The topic a visit is told on that its appointment changed (cancelled): it looks at once. */
export const APPOINTMENT_CHANGED = 'appointment';
