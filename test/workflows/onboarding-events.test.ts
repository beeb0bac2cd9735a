// The onboardingEvents subscription (schema/subscriptions.graphql): real graphql-ws clients over
// WebSocket on the gateway of the whole system, embedded default, onboardings started through the
// graph; each event's onboarding read through the gateway as the subscriber.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { connectSubscriber, type EventStream } from '../subscriptions/event-client.ts';
import { giveConsent, newPatient, patiently } from './onboarding-harness.ts';

const START = 'mutation($input: StartPatientOnboardingInput!) { startPatientOnboarding(input: $input) { id } }';
const EVENTS = /* GraphQL */ `
  subscription ($after: ID, $filter: OnboardingEventFilter) {
    onboardingEvents(after: $after, filter: $filter) { id type status waitingOn onboarding { id status patient { id } } }
  }
`;

interface OnboardingEvent {
  id: string;
  type: string;
  status: string;
  waitingOn: string | null;
  onboarding: { id: string; status: string; patient: { id: string } | null } | null;
}

const authorization = async (request: TokenRequest) => (await bearerFor(request)).authorization!;
const eventsOf = (stream: EventStream): OnboardingEvent[] => stream.results.map((result) => result.data!.onboardingEvents);
const idsOf = (stream: EventStream) => eventsOf(stream).map((event) => event.id);

/** Waits until the stream's last event satisfies `done`; answers its events. */
async function eventsUntil(stream: EventStream, done: (last: OnboardingEvent) => boolean): Promise<OnboardingEvent[]> {
  await vi.waitFor(() => {
    expect(stream.failure()).toBeUndefined();
    const last = eventsOf(stream).at(-1);
    expect(last && done(last), JSON.stringify(last)).toBe(true);
  }, patiently);
  return eventsOf(stream);
}

const waitingOnPatient = (event: OnboardingEvent) => event.waitingOn === 'PATIENT';

describe('onboardingEvents over graphql-ws on the embedded default', { timeout: 180_000 }, () => {
  let system: RunningSystem;
  let url: string;
  /** The log's end before the onboardings started: replays from here hold every one of their events. */
  let before: string;
  /** Two onboardings running together, each for a new patient. */
  let first: string;
  let second: string;
  /** The front desk's view of the first, from its start until it waits on the patient's consent. */
  let firstEvents: OnboardingEvent[];
  let firstPatient: string;

  const start = async () => {
    const { data, errors } = await graphql(system.gateway.url, START, { input: { patient: newPatient(), serviceCode: '99213', serviceType: 'general-practice' } }, await bearerFor({ role: 'front_desk' }));
    expect(errors).toBeUndefined();
    return data!.startPatientOnboarding.id as string;
  };
  const subscriber = async (request: TokenRequest) => connectSubscriber(url, await authorization(request));

  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, workflows: true, bundledOdoo: { version: 17 } });
    url = system.gateway.url.replace(/^http/, 'ws');
    before = await system.eventLog.lastId();
    [first, second] = await Promise.all([start(), start()]);
  }, 120_000);
  afterAll(() => system?.close());

  it("shows the front desk an onboarding's changes in order, from its start until it waits on the patient's consent", async () => {
    const desk = await subscriber({ role: 'front_desk' });
    firstEvents = await eventsUntil(desk.subscribe(EVENTS, { after: before, filter: { onboardingId: first } }), waitingOnPatient);

    // Its start, each of its six steps (matchPatient, registerPatient, findFreeSlots, bookFirstAppointment,
    // openFinancialAccount, estimatePatientShare), then the wait: once each, in that order.
    expect(firstEvents.map(({ type, status, waitingOn }) => `${type}:${status}:${waitingOn}`)).toEqual([
      ...Array<string>(7).fill('CHANGED:RUNNING:null'),
      'CHANGED:WAITING:PATIENT',
    ]);
    expect(new Set(firstEvents.map((event) => event.id)).size).toBe(firstEvents.length);
    // The onboarding is read as it is when delivered, through the graph.
    for (const event of firstEvents) expect(event.onboarding).toMatchObject({ id: first });
    firstPatient = firstEvents.at(-1)!.onboarding!.patient!.id;
    expect(firstPatient).toEqual(expect.any(String));
    await desk.client.dispose();
  });

  it('shows a patient only their own onboarding, once registered, and a role without the right nothing', async () => {
    const patient = await subscriber({ role: 'patient', patient: firstPatient });
    const clinician = await subscriber({ role: 'clinician' });
    const desk = await subscriber({ role: 'front_desk' });
    const own = patient.subscribe(EVENTS, { after: before });
    const none = clinician.subscribe(EVENTS, { after: before });
    const everyone = desk.subscribe(EVENTS, { after: before });

    // The front desk hears of both onboardings, the patient of theirs only.
    await vi.waitFor(() => {
      const waiting = eventsOf(everyone).filter(waitingOnPatient).map((event) => event.onboarding!.id);
      expect(waiting.sort()).toEqual([first, second].sort());
    }, patiently);
    const seen = await eventsUntil(own, waitingOnPatient);
    // The start, matchPatient's and registerPatient's own announcements name no patient (the id is the
    // state's once that step has answered it): they concern no patient yet.
    expect(seen.map((event) => event.id)).toEqual(firstEvents.slice(3).map((event) => event.id));
    for (const event of seen) expect(event.onboarding).toMatchObject({ id: first, patient: { id: firstPatient } });

    // Refused reads (FORBIDDEN) withhold the events: the clinician's subscription stays open and silent.
    // Its reads were refused before the front desk's were answered, so what it could wrongly get is in.
    expect(none.results).toEqual([]);
    expect(none.failure()).toBeUndefined();
    for (const client of [patient, clinician, desk]) await client.client.dispose();

    const deliveries = await system.subgraphs.audit.database.query<{ patient_ids: string[]; recipients: string[] }>(
      `SELECT patient_ids, recipients FROM audit_event WHERE operation_type = 'subscription' AND patient_ids @> ARRAY[$1::text]`,
      [firstPatient],
    );
    expect(deliveries.flatMap((row) => row.recipients)).toContain(`demo-patient-${firstPatient}`);
  });

  it('filters by onboarding, patient and status', async () => {
    const desk = await subscriber({ role: 'front_desk' });
    const waitingOnes = desk.subscribe(EVENTS, { after: before, filter: { patientId: firstPatient, statuses: ['WAITING'] } });
    const secondRunning = desk.subscribe(EVENTS, { after: before, filter: { onboardingId: second, statuses: ['RUNNING', 'QUEUED'] } });
    const secondAll = desk.subscribe(EVENTS, { after: before, filter: { onboardingId: second } });

    const all = await eventsUntil(secondAll, waitingOnPatient);
    await vi.waitFor(() => expect(idsOf(secondRunning)).toEqual(all.slice(0, -1).map((event) => event.id)), patiently);
    await vi.waitFor(() => expect(idsOf(waitingOnes)).toEqual([firstEvents.at(-1)!.id]), patiently);
    for (const event of all) expect(event.onboarding!.id).toBe(second);
    await desk.client.dispose();
  });

  it('replays from `after` what a subscriber missed, then goes on live, without gaps or duplicates', async () => {
    const desk = await subscriber({ role: 'front_desk' });
    const resumed = desk.subscribe(EVENTS, { after: firstEvents[2]!.id, filter: { onboardingId: first } });
    await vi.waitFor(() => expect(idsOf(resumed)).toEqual(firstEvents.slice(3).map((event) => event.id)), patiently);

    // The patient gives consent: the onboarding's end arrives live, after the replayed ones.
    await giveConsent(system, firstPatient);
    const ended = await eventsUntil(resumed, (last) => last.status === 'COMPLETED');
    expect(ended.map((event) => event.id)).toEqual([...firstEvents.slice(3).map((event) => event.id), ended.at(-1)!.id]);
    expect(ended.at(-1)).toMatchObject({ type: 'CHANGED', status: 'COMPLETED', waitingOn: null, onboarding: { id: first, status: 'COMPLETED' } });
    await desk.client.dispose();
  });
});
