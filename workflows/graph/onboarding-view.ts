import type { OnboardingRecord } from './onboarding-records.ts';

const ENDED = new Set(['COMPLETED', 'STOPPED', 'FAILED']);

/** Engine statuses of a workflow that ended without publishing an end of its own (an operator's cancel, a crash loop). */
export const ENDED_BY_ENGINE = new Set(['ERROR', 'CANCELLED', 'MAX_RECOVERY_ATTEMPTS_EXCEEDED'] as const);

/** An onboarding as the graph's `Onboarding` answers it: ids, states and codes only. */
export function onboardingView({ id, definition, engineStatus, startedAt, updatedAt, state }: OnboardingRecord) {
  const endedByEngine = (ENDED_BY_ENGINE as ReadonlySet<string>).has(engineStatus) && !(state && ENDED.has(state.status));
  const status = endedByEngine ? 'FAILED' : (state?.status ?? 'QUEUED');
  return {
    id,
    definition,
    status,
    waitingOn: status === 'WAITING' ? (state?.waitingOn ?? null) : null,
    startedAt,
    finishedAt: ENDED.has(status) ? updatedAt : null,
    steps: state?.steps ?? [],
    patient: state?.patientId ? { __typename: 'Patient', id: state.patientId } : null,
    appointment: state?.appointmentId ? { __typename: 'Appointment', id: state.appointmentId } : null,
    odooPartnerId: state?.odooPartnerId ?? null,
    odooActivityIds: state?.odooActivityIds ?? [],
    estimate: state?.estimate ?? null,
    reason: endedByEngine ? `WORKFLOW_${engineStatus}` : (state?.reason ?? null),
  };
}
