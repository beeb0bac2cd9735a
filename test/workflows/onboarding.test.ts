import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { LOG_START } from '../../platform/events/event-log.ts';
import { CURRENT_VERSION } from '../../workflows/onboarding/patient-onboarding.ts';
import { onboardingState, startPatientOnboarding } from '../../workflows/onboarding/start.ts';
import { activityOf, callersOf, completeInOdoo, giveConsent, newPatient, onboardingRequest, partnerOf, stateWhen } from './onboarding-harness.ts';

type OnboardingChanged = Extract<DomainEvent, { type: 'org.healthgraph.onboarding.changed.v1' }>;

const APPOINTMENT = 'query($id: ID!) { appointment(id: $id) { status patient { id } } }';
const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';
const SAME_NAME = 'query($family: String!) { patients(search: { name: $family }) { edges { node { id } } } }';

describe('patient onboarding on the embedded default (PGlite, bundled Odoo 17)', { timeout: 120_000 }, () => {
  let system: RunningSystem;
  let call: ReturnType<typeof callersOf>;
  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, workflows: true, bundledOdoo: { version: 17 } });
    call = callersOf(system);
  }, 120_000);
  afterAll(() => system?.close());

  const state = (id: string) => () => onboardingState(id);
  const stepNames = (steps: Array<{ name: string; status: string }>) => steps.map((step) => `${step.name}:${step.status}`);

  it('runs a clean onboarding to a booked first appointment, an account in Odoo and an estimate, once the patient consents', async () => {
    const request = onboardingRequest();
    const id = await startPatientOnboarding(request);
    const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'PATIENT');
    expect(waiting).toMatchObject({ status: 'WAITING', version: CURRENT_VERSION, estimate: { value: 110, currency: 'USD' } });
    expect(await call({ role: 'front_desk' }, APPOINTMENT, { id: waiting.appointmentId })).toEqual({ appointment: { status: 'BOOKED', patient: { id: waiting.patientId } } });
    expect(await partnerOf(system.odoo, waiting.patientId!)).toEqual({ id: waiting.odooPartnerId, active: true });

    await giveConsent(system, waiting.patientId!);
    const done = await stateWhen(state(id), (s) => s.status === 'COMPLETED');
    expect(stepNames(done.steps)).toEqual([
      'matchPatient:DONE', 'registerPatient:DONE', 'findFreeSlots:DONE', 'bookFirstAppointment:DONE',
      'openFinancialAccount:DONE', 'estimatePatientShare:DONE', 'consentGiven:DONE',
    ]);
    const { patients } = await call({ role: 'front_desk' }, SAME_NAME, { family: request.patient.name.family });
    expect(patients.edges).toHaveLength(1);
  });

  it('announces each change of an onboarding on the event log once, in order, with ids and states only', async () => {
    const id = await startPatientOnboarding(onboardingRequest());
    const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'PATIENT');
    const announced = async () =>
      (await system.eventLog.read(LOG_START, 100_000))
        .map(({ event }) => event)
        .filter((event): event is OnboardingChanged => event.type === 'org.healthgraph.onboarding.changed.v1' && event.subject === `Onboarding/${id}`);
    // Published by the workflows subgraph's relay, after the step's commit: waited for.
    const expected = [
      { status: 'RUNNING', waitingOn: null }, // started
      ...['matchPatient', 'registerPatient', 'findFreeSlots', 'bookFirstAppointment', 'openFinancialAccount', 'estimatePatientShare'].map(() => ({ status: 'RUNNING', waitingOn: null })),
      { status: 'WAITING', waitingOn: 'PATIENT' },
    ];
    await vi.waitFor(async () => expect(await announced()).toHaveLength(expected.length), { timeout: 30_000 });
    const events = await announced();
    expect(events.map((event) => ({ status: event.data.status, waitingOn: event.data.waitingOn }))).toEqual(expected);
    expect(events.map((event) => Number(event.sequence))).toEqual(expected.map((_, n) => n + 1));
    expect(new Set(events.map((event) => event.id)).size).toBe(expected.length);
    // Before registration it has no patient; from then on, the one registered. Nothing else.
    expect(events.at(-1)!.data).toEqual({ onboardingId: id, patientId: waiting.patientId, status: 'WAITING', waitingOn: 'PATIENT' });
    expect(events[0]!.data).toEqual({ onboardingId: id, status: 'RUNNING', waitingOn: null });
    expect(events.at(-1)).toMatchObject({ type: 'org.healthgraph.onboarding.changed.v1', source: '/subgraphs/workflows', patientid: waiting.patientId });
  });

  it('onboards a person the patient index is certain of as the patient already registered: no new registration', async () => {
    const patient = { ...newPatient(), nationalIdentifier: '318-52-7046', telecom: [{ system: 'PHONE', value: '+1 555 201 7733', use: 'MOBILE' }] };
    const existing = (await call({ role: 'front_desk' }, REGISTER, { input: patient })).registerPatient.id;
    const id = await startPatientOnboarding(onboardingRequest({ patient }));
    const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'PATIENT');
    expect(waiting.patientId).toBe(existing);
    expect(waiting.steps.slice(0, 2)).toEqual([
      expect.objectContaining({ name: 'matchPatient', status: 'DONE', detail: 'CERTAIN' }),
      expect.objectContaining({ name: 'findFreeSlots' }),
    ]);
    expect(await call({ role: 'front_desk' }, APPOINTMENT, { id: waiting.appointmentId })).toEqual({ appointment: { status: 'BOOKED', patient: { id: existing } } });
    const { patients } = await call({ role: 'front_desk' }, SAME_NAME, { family: patient.name.family });
    expect(patients.edges).toEqual([{ node: { id: existing } }]);
    await giveConsent(system, existing);
    await stateWhen(state(id), (s) => s.status === 'COMPLETED');
  });

  it('gives a probable duplicate to the front office in Odoo before registering; DISTINCT registers another person, declared so', async () => {
    const patient = newPatient();
    const candidate = (await call({ role: 'front_desk' }, REGISTER, { input: patient })).registerPatient.id;
    const id = await startPatientOnboarding(onboardingRequest({ patient }));
    const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'FRONT_OFFICE');
    expect(waiting.steps[0]).toMatchObject({ name: 'matchPatient', detail: 'PROBABLE' });
    expect(waiting.patientId).toBeUndefined();
    // On the registered record it may duplicate: the front office compares the two there.
    const [activityId] = waiting.odooActivityIds;
    const activity = await activityOf(system.odoo, activityId!);
    expect(activity).toMatchObject({ partnerId: (await partnerOf(system.odoo, candidate))!.id, summary: expect.stringContaining('Probable duplicate'), activityType: 'Healthcare graph task' });
    expect(activity!.note).toContain(`http://127.0.0.1/onboarding/${id}`);

    await completeInOdoo(system, activityId!, 'DISTINCT: another person, other mother\'s name');
    const next = await stateWhen(state(id), (s) => s.waitingOn === 'PATIENT');
    expect(next.steps).toContainEqual(expect.objectContaining({ name: 'resolveProbableDuplicate.decided', detail: 'DISTINCT' }));
    expect(next.patientId).not.toBe(candidate);
    // Registered as another person: the registry keeps the front office's word (no review left open for a steward).
    const { matchReviews } = await call({ role: 'data_steward' }, 'query { matchReviews(status: NOT_DUPLICATE, first: 100) { patient { id } candidate { id } } }');
    expect(matchReviews).toContainEqual({ patient: { id: next.patientId }, candidate: { id: candidate } });
    await giveConsent(system, next.patientId!);
    await stateWhen(state(id), (s) => s.status === 'COMPLETED');
  });

  it('stops an onboarding the front office says is a duplicate, with nothing registered', async () => {
    const patient = newPatient();
    const candidate = (await call({ role: 'front_desk' }, REGISTER, { input: patient })).registerPatient.id;
    const id = await startPatientOnboarding(onboardingRequest({ patient }));
    const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'FRONT_OFFICE');
    await completeInOdoo(system, waiting.odooActivityIds[0]!, 'DUPLICATE');
    expect(await stateWhen(state(id), (s) => s.status === 'STOPPED')).toMatchObject({ reason: 'PROBABLE_DUPLICATE' });
    const { patients } = await call({ role: 'front_desk' }, SAME_NAME, { family: patient.name.family });
    expect(patients.edges).toEqual([{ node: { id: candidate } }]);
    // The candidate's account in Odoo is not the onboarding's to withdraw.
    expect(await partnerOf(system.odoo, candidate)).toMatchObject({ active: true });
  });

  it('gives an eligibility denial to the front office; told to stop, it undoes what it did', async () => {
    const id = await startPatientOnboarding(
      onboardingRequest({ serviceCode: '15788', coverage: { payerId: 'pay-04', memberId: 'M-1', plan: 'Basic', start: '2026-01-01' } }),
    );
    const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'FRONT_OFFICE');
    expect(waiting.steps).toContainEqual(expect.objectContaining({ name: 'checkEligibility', detail: 'DENIED' }));
    await completeInOdoo(system, waiting.odooActivityIds[0]!, 'STOP, the patient will come back later');
    const failed = await stateWhen(state(id), (s) => s.status === 'FAILED');
    expect(failed.reason).toBe('ELIGIBILITY_DENIED');
    expect(await partnerOf(system.odoo, failed.patientId!)).toMatchObject({ active: false });
  });

  it('reminds through the front office when consent does not come, then at the deadline cancels the booking and withdraws the account', async () => {
    const id = await startPatientOnboarding(onboardingRequest({ timing: { consentWaitSeconds: 6, consentReminderSeconds: 2, pollSeconds: 0.5 } }));
    const failed = await stateWhen(state(id), (s) => s.status === 'FAILED');
    expect(failed.reason).toBe('CONSENT_NOT_GIVEN');
    expect(failed.odooActivityIds).toHaveLength(1);
    expect(await activityOf(system.odoo, failed.odooActivityIds[0]!)).toBeNull();
    expect(await call({ role: 'front_desk' }, APPOINTMENT, { id: failed.appointmentId })).toMatchObject({ appointment: { status: 'CANCELLED' } });
    expect(await partnerOf(system.odoo, failed.patientId!)).toMatchObject({ active: false });
    expect(stepNames(failed.steps).slice(-3)).toEqual(['cancelFrontOfficeTask:COMPENSATED', 'withdrawFinancialAccount:COMPENSATED', 'cancelAppointment:COMPENSATED']);
  });
});
