import type { GraphClient } from '../graph-client.ts';
import { onboardingCalls } from '../onboarding/graph-calls.ts';

export interface VisitAppointment {
  status: 'BOOKED' | 'CONFIRMED' | 'ARRIVED' | 'FULFILLED' | 'CANCELLED' | 'NOSHOW';
  start: string;
  patientId: string;
}

/** What the visit workflow asks of the graph: the appointment and the patient's coverage, and onboarding's task and estimate calls. */
export function visitCalls(graph: GraphClient) {
  const { openTask, cancelTask, fee, checkEligibility } = onboardingCalls(graph);
  return {
    openTask,
    cancelTask,
    fee,
    checkEligibility,

    /** Null when there is no such appointment. */
    async appointment(id: string): Promise<VisitAppointment | null> {
      const { appointment } = await graph.call<{ appointment: { status: VisitAppointment['status']; start: string; patient: { id: string } } | null }>(
        'appointment',
        'query($id: ID!) { appointment(id: $id) { status start patient { id } } }',
        { id },
        'HOPERAT',
      );
      return appointment && { status: appointment.status, start: appointment.start, patientId: appointment.patient.id };
    },

    /** The payer of the patient's coverage in force, or null when they pay for themselves. */
    async coveringPayer(patientId: string): Promise<string | null> {
      const { patient } = await graph.call<{ patient: { coverages: Array<{ status: string; payer: { id: string } }> | null } | null }>(
        'patient.coverages',
        'query($id: ID!) { patient(id: $id) { coverages { status payer { id } } } }',
        { id: patientId },
        'HPAYMT',
      );
      return (patient?.coverages ?? []).find((coverage) => coverage.status === 'ACTIVE')?.payer.id ?? null;
    },
  };
}

export type VisitCalls = ReturnType<typeof visitCalls>;
