import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Logger } from '../../platform/logger.ts';
import { patientShare } from '../estimate.ts';
import { graphStep, WorkflowFailure } from '../graph-step.ts';
import type { StepStatus } from '../onboarding/state.ts';
import type { VisitCalls } from './graph-calls.ts';
import type { VisitRequest } from './request.ts';
import { APPOINTMENT_CHANGED, VISIT_STATE_EVENT, type VisitState } from './state.ts';

export const DEFINITION = 'appointmentVisit';
export const VERSION = 1;

/** Still to come: the appointment may yet be cancelled. */
const upcoming = new Set(['BOOKED', 'CONFIRMED']);

/**
 * Version 1 of a confirmed appointment's preparation: the front office gets a "prepare the visit"
 * activity in Odoo (due the visit's day) and the patient's share is estimated; then it waits for
 * the visit. A cancellation (its event wakes the wait; it also looks every pollSeconds) takes the
 * activity back and withdraws the estimate.
 */
export function appointmentVisitV1(calls: VisitCalls, logger: Logger) {
  return async function appointmentVisit(request: VisitRequest): Promise<VisitState> {
    const id = DBOS.workflowID!;
    const state: VisitState = { id, definition: DEFINITION, version: VERSION, status: 'RUNNING', waitingOn: null, appointmentId: request.appointmentId, steps: [] };
    const publish = () => DBOS.setEvent(VISIT_STATE_EVENT, state);
    const record = (name: string, status: StepStatus, at: string, detail?: string) => state.steps.push({ name, status, at, ...(detail !== undefined && { detail }) });

    /** A checkpointed step; `required` ones end the workflow FAILED when they fail for good, the others are recorded and passed. */
    async function step<T>(name: string, work: () => Promise<T>, { recorded = true, required = true } = {}): Promise<T | undefined> {
      const outcome = await graphStep(name, work, logger);
      if ('failure' in outcome) {
        record(name, 'FAILED', outcome.at, outcome.failure);
        await publish();
        if (required) throw new WorkflowFailure(outcome.failure);
        return undefined;
      }
      if (recorded) {
        record(name, 'DONE', outcome.at);
        await publish();
      }
      return outcome.value;
    }

    async function finish(status: VisitState['status'], reason?: string): Promise<VisitState> {
      Object.assign(state, { status, waitingOn: null, ...(reason && { reason }) });
      await publish();
      logger.info({ workflowId: id, status, reason }, 'visit preparation finished');
      return state;
    }

    /** Takes back what was given for a visit that will not take place (an undo that fails is recorded as such). */
    async function takeBack(): Promise<void> {
      const activityId = state.odooActivityId;
      if (activityId !== undefined && (await step('cancelFrontOfficeTask', () => calls.cancelTask(activityId).then(() => true), { recorded: false, required: false }))) {
        record('cancelFrontOfficeTask', 'COMPENSATED', new Date(await DBOS.now()).toISOString());
      }
      if (state.estimate) {
        state.estimate.status = 'WITHDRAWN';
        record('estimatePatientShare', 'COMPENSATED', new Date(await DBOS.now()).toISOString());
      }
    }

    await publish();
    try {
      const appointment = await step('readAppointment', () => calls.appointment(request.appointmentId));
      if (!appointment) return await finish('SKIPPED', 'APPOINTMENT_NOT_FOUND');
      if (appointment.status !== 'CONFIRMED') return await finish('SKIPPED', `APPOINTMENT_${appointment.status}`);
      const patientId = (state.patientId = appointment.patientId);

      const task = await step('openFrontOfficeTask', () =>
        calls.openTask({ patientId, summary: `Prepare the visit (appointment ${request.appointmentId})`, deadline: appointment.start.slice(0, 10), choices: ['PREPARED'] }, `${id}:openFrontOfficeTask`),
      );
      state.odooActivityId = task!.odooActivityId;

      // An estimate that cannot be made (an unknown code, a payer that does not answer) leaves the task in place.
      const estimate = await step(
        'estimatePatientShare',
        async () => {
          const fee = await calls.fee(request.serviceCode);
          if (!fee) throw new WorkflowFailure('UNKNOWN_SERVICE_CODE');
          const payerId = await calls.coveringPayer(patientId);
          const eligibility = payerId ? await calls.checkEligibility(patientId, payerId, request.serviceCode) : null;
          return patientShare(fee, eligibility?.eligible ? eligibility : null);
        },
        { required: false },
      );
      if (estimate) state.estimate = { ...estimate, status: 'CURRENT' };

      Object.assign(state, { status: 'WAITING', waitingOn: 'APPOINTMENT' });
      await publish();
      for (;;) {
        const current = await step('lookAtAppointment', () => calls.appointment(request.appointmentId), { recorded: false });
        if (!current || current.status === 'CANCELLED') {
          await takeBack();
          return await finish('CLOSED', 'APPOINTMENT_CANCELLED');
        }
        const untilVisitMs = Date.parse(current.start) - (await DBOS.now());
        if (!upcoming.has(current.status) || untilVisitMs <= 0) return await finish('COMPLETED');
        await DBOS.recv(APPOINTMENT_CHANGED, Math.min(request.pollSeconds, untilVisitMs / 1000));
      }
    } catch (error) {
      if (!(error instanceof WorkflowFailure)) throw error;
      await takeBack();
      return await finish('FAILED', error.reason);
    }
  };
}
