/** Where an onboarding stands, as `onboarding(id)` answers it. Ids only: no patient data. */
export type OnboardingStatus = 'RUNNING' | 'WAITING' | 'COMPLETED' | 'STOPPED' | 'FAILED';

export type StepStatus = 'DONE' | 'FAILED' | 'COMPENSATED';

export interface StepRecord {
  name: string;
  status: StepStatus;
  at: string;
  /** A failure's code, a decision, a count: never a value from the patient's record. */
  detail?: string;
}

export interface OnboardingState {
  id: string;
  definition: string;
  version: number;
  status: OnboardingStatus;
  /** Who the workflow waits for while WAITING. */
  waitingOn: 'FRONT_OFFICE' | 'PATIENT' | null;
  /** While WAITING: when the wait began, and the step it waits in (resolveProbableDuplicate, giveConsent…). */
  waitingSince?: string;
  waitingStep?: string;
  steps: StepRecord[];
  patientId?: string;
  appointmentId?: string;
  odooPartnerId?: number;
  /** The front-office tasks given in Odoo (their activity ids). */
  odooActivityIds: number[];
  /** What the patient is expected to owe for the first visit. */
  estimate?: { value: number; currency: string };
  /** Why it STOPPED or FAILED: a stable code. */
  reason?: string;
}

/** The engine's event key the state is published under. */
export const STATE_EVENT = 'onboarding.state';
