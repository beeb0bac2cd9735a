import { DBOS } from '@dbos-inc/dbos-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { LOG_START } from '../../platform/events/event-log.ts';
import { WORKFLOWS_GROUP } from '../../workflows/domain-events.ts';
import { CURRENT_VERSION } from '../../workflows/onboarding/patient-onboarding.ts';
import { onboardingState, startPatientOnboarding } from '../../workflows/onboarding/start.ts';
import { CURRENT_VISIT } from '../../workflows/registry.ts';
import type { VisitRequest } from '../../workflows/visit/request.ts';
import type { VisitState } from '../../workflows/visit/state.ts';
import { appointmentVisitState } from '../../workflows/visit/start.ts';
import { activityOf, callersOf, completeInOdoo, giveConsent, newPatient, onboardingRequest, partnerOf, patiently, quickTiming, stateWhen } from './onboarding-harness.ts';

/** Polls only once an hour: anything sooner is an event's doing. */
const eventsOnly = { ...quickTiming, pollSeconds: 3_600, consentWaitSeconds: 7_200, consentReminderSeconds: 7_000 };

const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const SLOTS = 'query($from: DateTime!, $to: DateTime!) { availableSlots(filter: { serviceType: "general-practice" }, from: $from, to: $to, first: 1) { id } }';
const BOOK = 'mutation($slotId: ID!, $patientId: ID!) { bookAppointment(slotId: $slotId, patientId: $patientId, reason: "Check-up") { id } }';
const CONFIRM = 'mutation($id: ID!) { confirmAppointment(id: $id) { status } }';
const CANCEL = 'mutation($id: ID!) { cancelAppointment(id: $id, reason: "Feeling better") { status } }';

describe('workflows reacting to domain events (embedded default, bundled Odoo 17)', { timeout: 120_000 }, () => {
  let system: RunningSystem;
  let call: ReturnType<typeof callersOf>;
  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, workflows: true, bundledOdoo: { version: 17 } });
    call = callersOf(system);
  }, 120_000);
  afterAll(() => system?.close());

  const onboarding = (id: string) => () => onboardingState(id);

  /**
   * The workflow sits in its wait: the engine recorded the wait's timeout as its last step. From
   * there, with an hour's poll, only an event's message moves it (not a look that came after the change).
   */
  const inWait = (workflowId: string) =>
    vi.waitFor(async () => {
      expect((await DBOS.listWorkflowSteps(workflowId))?.at(-1)?.name).toBe('DBOS.sleep');
    }, patiently);

  /** The workflows' group has handled everything on the log so far. */
  const workflowsCaughtUp = () =>
    vi.waitFor(async () => {
      const group = (await system.eventLog.groups()).find((state) => state.group === WORKFLOWS_GROUP);
      expect(group).toMatchObject({ lag: 0, pending: 0, deadLetters: 0 });
    }, patiently);

  /** A new patient with a booked, confirmed general-practice appointment; answers its id. */
  async function confirmedAppointment(): Promise<{ appointmentId: string; patientId: string }> {
    const { registerPatient } = await call({ role: 'front_desk' }, REGISTER, { input: newPatient() });
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const { availableSlots } = await call({ role: 'front_desk' }, SLOTS, { from, to: new Date(Date.now() + 14 * 86_400_000).toISOString() });
    const { bookAppointment } = await call({ role: 'front_desk' }, BOOK, { slotId: availableSlots[0].id, patientId: registerPatient.id });
    expect(await call({ role: 'front_desk' }, CONFIRM, { id: bookAppointment.id })).toEqual({ confirmAppointment: { status: 'CONFIRMED' } });
    return { appointmentId: bookAppointment.id, patientId: registerPatient.id };
  }

  const visitWhen = async (appointmentId: string, done: (state: VisitState) => boolean): Promise<VisitState> => {
    let seen: VisitState | null = null;
    await vi.waitFor(async () => {
      seen = await appointmentVisitState(appointmentId);
      expect(seen && done(seen), JSON.stringify(seen)).toBe(true);
    }, patiently);
    return seen!;
  };

  /** The "prepare the visit" activities in Odoo on the patient's partner. */
  async function visitActivities(patientId: string): Promise<number[]> {
    const partner = await partnerOf(system.odoo, patientId);
    const activities = await system.odoo.searchRead('mail.activity', [['res_id', '=', partner!.id]], { fields: ['summary', 'res_model'] });
    return activities.filter((activity) => activity.res_model === 'res.partner' && String(activity.summary).startsWith('Prepare the visit')).map((activity) => activity.id);
  }

  it('wakes an onboarding waiting on consent when the patient gives it in the portal, long before its hourly look', async () => {
    const id = await startPatientOnboarding(onboardingRequest({ timing: eventsOnly }));
    const waiting = await stateWhen(onboarding(id), (s) => s.waitingOn === 'PATIENT');
    // Started on the current definition, which (as every one since version 2) is woken by events.
    expect(waiting.version).toBe(CURRENT_VERSION);
    await inWait(id);
    await giveConsent(system, waiting.patientId!);
    expect(await stateWhen(onboarding(id), (s) => s.status === 'COMPLETED')).toMatchObject({ waitingOn: null });
  });

  it('wakes an onboarding waiting on the front office when the task is reported done from Odoo', async () => {
    const patient = newPatient();
    await call({ role: 'front_desk' }, REGISTER, { input: patient });
    const id = await startPatientOnboarding(onboardingRequest({ patient, timing: eventsOnly }));
    const waiting = await stateWhen(onboarding(id), (s) => s.waitingOn === 'FRONT_OFFICE');
    await inWait(id);
    await completeInOdoo(system, waiting.odooActivityIds[0]!, 'DISTINCT');
    const next = await stateWhen(onboarding(id), (s) => s.waitingOn === 'PATIENT');
    expect(next.steps).toContainEqual(expect.objectContaining({ name: 'resolveProbableDuplicate.decided', detail: 'DISTINCT' }));
  });

  it('gives a confirmed appointment a "prepare the visit" activity in Odoo and an estimate; a redelivered confirmation makes no second one', async () => {
    const { appointmentId, patientId } = await confirmedAppointment();
    const waiting = await visitWhen(appointmentId, (s) => s.status === 'WAITING');
    expect(waiting).toMatchObject({ id: `visit-${appointmentId}`, version: 1, patientId, waitingOn: 'APPOINTMENT', estimate: { value: 110, currency: 'USD', status: 'CURRENT' } });
    const activity = await activityOf(system.odoo, waiting.odooActivityId!);
    expect(activity).toMatchObject({ partnerId: (await partnerOf(system.odoo, patientId))!.id, summary: `Prepare the visit (appointment ${appointmentId})`, activityType: 'Healthcare graph task' });

    const confirmed = (await system.eventLog.read(LOG_START, 100_000)).find(({ event }) => event.type === 'org.healthgraph.appointment.confirmed.v1' && event.data.appointmentId === appointmentId);
    await system.eventLog.append(confirmed!.event);
    await workflowsCaughtUp();
    const visits = await DBOS.listWorkflows({ workflowName: CURRENT_VISIT, loadInput: true });
    expect(visits.filter((visit) => (visit.input?.[0] as VisitRequest | undefined)?.appointmentId === appointmentId).map((visit) => visit.workflowID)).toEqual([waiting.id]);
    expect(await visitActivities(patientId)).toEqual([waiting.odooActivityId]);
    expect(await appointmentVisitState(appointmentId)).toMatchObject({ status: 'WAITING', odooActivityId: waiting.odooActivityId });
  });

  it('closes the activity and withdraws the estimate when the appointment is cancelled', async () => {
    const { appointmentId, patientId } = await confirmedAppointment();
    const waiting = await visitWhen(appointmentId, (s) => s.status === 'WAITING');
    await inWait(waiting.id);
    expect(await call({ role: 'front_desk' }, CANCEL, { id: appointmentId })).toEqual({ cancelAppointment: { status: 'CANCELLED' } });
    const closed = await visitWhen(appointmentId, (s) => s.status === 'CLOSED');
    expect(closed).toMatchObject({ reason: 'APPOINTMENT_CANCELLED', estimate: { status: 'WITHDRAWN' } });
    expect(await activityOf(system.odoo, waiting.odooActivityId!)).toBeNull();
    expect(await visitActivities(patientId)).toEqual([]);
  });
});
