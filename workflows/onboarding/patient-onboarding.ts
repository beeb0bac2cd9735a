import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Logger } from '../../platform/logger.ts';
import { GraphCallError } from '../graph-client.ts';
import { patientShare } from '../estimate.ts';
import { graphStep, WorkflowFailure } from '../graph-step.ts';
import type { OnboardingCalls, TaskRequest } from './graph-calls.ts';
import type { OnboardingRequest } from './request.ts';
import { registerWait, wakeTopic } from '../waits.ts';
import { announceOnboarding, type OnboardingOutbox } from './announce.ts';
import { slotsInTurn } from './slot-order.ts';
import { STATE_EVENT, type OnboardingState, type StepStatus } from './state.ts';

export const DEFINITION = 'patientOnboarding';
/**
 * Version 5 tries the free slots from one its id picks rather than from the earliest (slot-order.ts:
 * a version, so that a running instance's booking step cut short tries its first slot first again);
 * version 4 announces each change of its state on the event log (onboarding.changed, a step of its
 * own: hence a version, since earlier instances recorded no such step); version 3 matches against
 * the master patient index before registering anyone; version 2 registers its waits, so the events
 * it waits for wake it (see waits.ts); version 1 only polls.
 */
export const VERSIONS = [1, 2, 3, 4, 5] as const;
export const CURRENT_VERSION = 5;

/** A failure for good: the workflow undoes what it did and ends FAILED with this reason. */
class OnboardingFailed extends WorkflowFailure {}

/** How many times an onboarding reads the free slots when every one it tried was taken meanwhile. */
const SLOT_LOOKS = 5;

const dayOf = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * Patient onboarding: the patient from the master patient index, or registered (a probable
 * duplicate goes to the front office; before version 3, registered first), the
 * coverage and its eligibility (a denial goes to the front office), the first appointment, the
 * account in Odoo and an estimate, then the patient's consent in the portal (deadline, reminder).
 * A failure for good cancels the booking, takes back open tasks and withdraws the account.
 *
 * Each step is checkpointed by the engine: after a crash the workflow resumes after the last
 * completed step; a step cut short runs again, and its mutation's idempotency key makes the
 * second call answer the first one's result.
 */
export function patientOnboarding(calls: OnboardingCalls, logger: Logger, version: (typeof VERSIONS)[number], outbox?: OnboardingOutbox) {
  const wokenByEvents = version >= 2;
  const matchedFirst = version >= 3;
  const announces = version >= 4;
  const spreadsBookings = version >= 5;
  return async function patientOnboarding(request: OnboardingRequest): Promise<OnboardingState> {
    const id = DBOS.workflowID!;
    const { timing } = request;
    const state: OnboardingState = { id, definition: DEFINITION, version, status: 'RUNNING', waitingOn: null, steps: [], odooActivityIds: [] };
    const undo: Array<{ name: string; run: () => Promise<unknown> }> = [];
    const key = (step: string) => `${id}:${step}`;
    // A patient the index was certain of came with their account: not this onboarding's to withdraw.
    let accountOurs = true;
    // Counted in workflow order, so a replay numbers its announcements as the first run did.
    let announced = 0;
    const publish = async () => {
      await DBOS.setEvent(STATE_EVENT, state);
      if (announces) await announceOnboarding(outbox, state, ++announced);
    };
    const record = (name: string, status: StepStatus, at: string, detail?: string) => state.steps.push({ name, status, at, ...(detail !== undefined && { detail }) });

    /** One checkpointed step (see graphStep): a failure for good ends the onboarding. */
    async function step<T>(name: string, work: () => Promise<T>, { recorded = true, detail }: { recorded?: boolean; detail?: (value: T) => string } = {}): Promise<T> {
      const outcome = await graphStep(name, work, logger);
      if ('failure' in outcome) {
        record(name, 'FAILED', outcome.at, outcome.failure);
        await publish();
        throw new OnboardingFailed(outcome.failure);
      }
      if (recorded) {
        record(name, 'DONE', outcome.at, detail?.(outcome.value));
        await publish();
      }
      return outcome.value;
    }

    /**
     * A task for the front office in Odoo, on the account of the patient it is `about` (the
     * onboarded one unless said); waits for their decision (null: none by the deadline, or none named).
     */
    async function frontOffice(name: string, task: Omit<TaskRequest, 'deadline' | 'patientId' | 'link'>, about = state.patientId!): Promise<string | null> {
      const now = await DBOS.now();
      const deadlineMs = now + timing.taskDays * 86_400_000;
      const opened = await step(name, () =>
        calls.openTask({ ...task, patientId: about, deadline: dayOf(deadlineMs), ...(request.caseLinkBase && { link: `${request.caseLinkBase}${id}` }) }, key(name)),
      );
      state.odooActivityIds.push(opened.odooActivityId);
      if (about === state.patientId) noteAccountOpened();
      if (wokenByEvents) await registerWait('task', String(opened.odooActivityId));
      Object.assign(state, { status: 'WAITING', waitingOn: 'FRONT_OFFICE', waitingSince: new Date(now).toISOString(), waitingStep: name });
      await publish();
      let decision: string | null = null;
      for (;;) {
        const current = await step(`${name}.look`, () => calls.task(opened.odooActivityId), { recorded: false });
        if (current && current.status !== 'OPEN') {
          decision = current.decision;
          break;
        }
        // A day's grace after the deadline Odoo shows, then the case moves on without an answer.
        if ((await DBOS.now()) > deadlineMs + 86_400_000) {
          await step(`${name}.takeBack`, () => calls.cancelTask(opened.odooActivityId), { recorded: false });
          break;
        }
        await DBOS.recv(wakeTopic('task', String(opened.odooActivityId)), timing.pollSeconds);
      }
      Object.assign(state, { status: 'RUNNING', waitingOn: null, waitingSince: undefined, waitingStep: undefined });
      const at = new Date(await DBOS.now()).toISOString();
      record(`${name}.decided`, 'DONE', at, decision ?? 'NO_DECISION');
      await publish();
      return decision;
    }

    /** A task opens the patient's account in Odoo if need be: withdrawing it is then ours to undo. */
    function noteAccountOpened() {
      if (accountOurs && !undo.some((entry) => entry.name === 'withdrawFinancialAccount')) {
        const patientId = state.patientId!;
        undo.push({ name: 'withdrawFinancialAccount', run: () => calls.withdrawFinancialAccount(patientId) });
      }
    }

    /** Undoes what the workflow did, latest first; an undo that fails is recorded and the rest still run. */
    async function compensate(): Promise<void> {
      const undoing = [
        ...state.odooActivityIds.map((activityId) => ({ name: 'cancelFrontOfficeTask', run: () => calls.cancelTask(activityId) })),
        ...undo.reverse(),
      ];
      for (const { name, run } of undoing) {
        try {
          await step(name, run, { recorded: false });
          record(name, 'COMPENSATED', new Date(await DBOS.now()).toISOString());
        } catch (error) {
          if (!(error instanceof OnboardingFailed)) throw error;
        }
      }
      await publish();
    }

    async function finish(status: OnboardingState['status'], reason?: string): Promise<OnboardingState> {
      Object.assign(state, { status, waitingOn: null, waitingSince: undefined, waitingStep: undefined, ...(reason && { reason }) });
      await publish();
      logger.info({ workflowId: id, status, reason }, 'onboarding finished');
      return state;
    }

    /**
     * Version 3: a patient the index is certain of is onboarded as registered; a probable match
     * is the front office's to resolve before anyone is registered (a DISTINCT person is then
     * registered as another person than those candidates); nobody: registered. False: a duplicate.
     */
    async function patientFromIndex(): Promise<boolean> {
      const match = await step('matchPatient', () => calls.matchPatient(request.patient), { detail: (found) => found.grade });
      if (match.grade === 'CERTAIN') {
        state.patientId = match.patientIds[0]!;
        accountOurs = false;
        return true;
      }
      if (match.grade === 'PROBABLE') {
        const decision = await frontOffice(
          'resolveProbableDuplicate',
          { summary: `Probable duplicate: a patient being onboarded may be this one (${match.patientIds.length} record(s) with a close name and birth date)`, choices: ['DISTINCT', 'DUPLICATE'] },
          match.patientIds[0]!,
        );
        if (decision !== 'DISTINCT') return false;
      }
      state.patientId = await step('registerPatient', () => calls.registerPatient(request.patient, key('registerPatient'), match.patientIds));
      return true;
    }

    /**
     * Versions 1 and 2: registration, then others of the same name and birth date for the front
     * office. False: a duplicate, whose record stays for the front office to merge.
     */
    async function registeredThenChecked(): Promise<boolean> {
      state.patientId = await step('registerPatient', () => calls.registerPatient(request.patient, key('registerPatient')));
      const duplicates = await step('findProbableDuplicates', () => calls.probableDuplicates(request.patient, state.patientId!), { detail: (ids) => String(ids.length) });
      if (duplicates.length === 0) return true;
      const decision = await frontOffice('resolveProbableDuplicate', {
        summary: `Probable duplicate: ${duplicates.length} record(s) with the same name and birth date`,
        choices: ['DISTINCT', 'DUPLICATE'],
      });
      return decision === 'DISTINCT';
    }

    await publish();
    try {
      // 1. The patient, from the master patient index or registered; a probable duplicate is the front office's to resolve.
      if (!(matchedFirst ? await patientFromIndex() : await registeredThenChecked())) {
        // What this onboarding opened goes.
        await compensate();
        return await finish('STOPPED', 'PROBABLE_DUPLICATE');
      }

      // 2. Coverage and eligibility; a denial is sorted out with the patient by the front office.
      let eligibility: Awaited<ReturnType<OnboardingCalls['checkEligibility']>> | null = null;
      if (request.coverage) {
        const coverage = request.coverage;
        await step('addCoverage', () => calls.addCoverage(state.patientId!, coverage, key('addCoverage')));
        eligibility = await step('checkEligibility', () => calls.checkEligibility(state.patientId!, coverage.payerId, request.serviceCode), {
          detail: (result) => (result.eligible ? 'ELIGIBLE' : 'DENIED'),
        });
        if (!eligibility.eligible) {
          const decision = await frontOffice('resolveEligibilityDenial', { summary: 'Coverage denied for the first visit: sort it out with the patient', choices: ['SELF_PAY', 'STOP'] });
          if (decision !== 'SELF_PAY') throw new OnboardingFailed('ELIGIBILITY_DENIED');
          eligibility = null;
        }
      }

      // 3. The first appointment: one of the earliest free slots that can still be had.
      const now = await DBOS.now();
      const freeSlots = () => calls.freeSlots(request.serviceType, new Date(now + 3_600_000).toISOString(), new Date(now + timing.bookingWindowDays * 86_400_000).toISOString());
      const slots = await step('findFreeSlots', freeSlots, { detail: (ids) => String(ids.length) });
      state.appointmentId = await step('bookFirstAppointment', async () => {
        // Onboardings running together read the same earliest slots: each tries them from its own
        // place in the list, and when every one was taken meanwhile, reads it again, a few times,
        // before there is none to be had.
        for (let looks = 1, candidates = slots; candidates.length > 0 && looks <= SLOT_LOOKS; looks++, candidates = await freeSlots()) {
          for (const slotId of spreadsBookings ? slotsInTurn(id, candidates) : candidates) {
            try {
              return await calls.bookAppointment(slotId, state.patientId!, key(`bookFirstAppointment:${slotId}`));
            } catch (error) {
              // Taken meanwhile by someone else, or started meanwhile (a long pause): the next one.
              if (!(error instanceof GraphCallError && error.code === 'CONFLICT')) throw error;
            }
          }
        }
        throw new OnboardingFailed('NO_FREE_SLOT');
      });
      const appointmentId = state.appointmentId;
      undo.push({ name: 'cancelAppointment', run: () => calls.cancelAppointment(appointmentId) });

      // 4. Billing: the account in Odoo, and what the patient will owe for the first visit.
      state.odooPartnerId = await step('openFinancialAccount', () => calls.openFinancialAccount(state.patientId!));
      noteAccountOpened();
      const covered = eligibility;
      state.estimate = await step('estimatePatientShare', async () => {
        const fee = await calls.fee(request.serviceCode);
        if (!fee) throw new OnboardingFailed('UNKNOWN_SERVICE_CODE');
        return patientShare(fee, covered);
      });

      // 5. Consent: the patient gives it in the portal; a reminder through the front office, then a deadline.
      const waitStart = await DBOS.now();
      Object.assign(state, { status: 'WAITING', waitingOn: 'PATIENT', waitingSince: new Date(waitStart).toISOString(), waitingStep: 'giveConsent' });
      await publish();
      if (wokenByEvents) await registerWait('consent', state.patientId!);
      let reminded = false;
      for (;;) {
        const decision = await step('lookForConsent', () => calls.treatmentConsent(state.patientId!), { recorded: false });
        if (decision === 'DENY') throw new OnboardingFailed('CONSENT_DENIED');
        if (decision === 'PERMIT') break;
        const elapsedMs = (await DBOS.now()) - waitStart;
        if (elapsedMs >= timing.consentWaitSeconds * 1000) throw new OnboardingFailed('CONSENT_NOT_GIVEN');
        if (!reminded && elapsedMs >= timing.consentReminderSeconds * 1000) {
          const reminder = await step('remindPatientOfConsent', () =>
            calls.openTask({ patientId: state.patientId!, summary: 'Remind the patient to give consent in the portal', deadline: dayOf(waitStart + timing.consentWaitSeconds * 1000), choices: ['REMINDED'] }, key('remindPatientOfConsent')),
          );
          state.odooActivityIds.push(reminder.odooActivityId);
          reminded = true;
        }
        await DBOS.recv(wakeTopic('consent', state.patientId!), Math.min(timing.pollSeconds, timing.consentWaitSeconds - elapsedMs / 1000));
      }
      record('consentGiven', 'DONE', new Date(await DBOS.now()).toISOString());
      for (const activityId of state.odooActivityIds) await step('closeFrontOfficeTask', () => calls.cancelTask(activityId), { recorded: false });
      return await finish('COMPLETED');
    } catch (error) {
      if (!(error instanceof OnboardingFailed)) throw error;
      await compensate();
      return await finish('FAILED', error.reason);
    }
  };
}
