import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { LOG_START } from '../../platform/events/event-log.ts';
import { newPatientId, startSeededAppointments, type SeededAppointments } from '../appointments/harness.ts';
import { OPERATIONS, startBilling, type BillingService } from '../billing/harness.ts';
import { booked, openTestEventLog, redisUrl, type TestEventLog } from '../events/event-logs.ts';
import { postgresUrl } from '../support/databases.ts';
import { eventsCommand } from './events-commands.ts';
import { shortType } from './outbox.ts';

/** The embedded pairing and the production one. */
const systems = [
  { name: 'PGlite and the in-memory log', url: undefined, redisUrl: undefined },
  { name: 'PostgreSQL and Redis', url: postgresUrl, redisUrl },
];
/** Three quick attempts, so a failing event is dead-lettered within the test. */
const reactions = { maxAttempts: 3, backoff: { initialMs: 20, maxMs: 100 } };
const ENCOUNTERS = 'billing-encounters';
const soon = { timeout: 10_000, interval: 50 };

const BOOK = 'mutation($slotId: ID!, $patientId: ID!) { result: bookAppointment(slotId: $slotId, patientId: $patientId) { id } }';
const STEP = {
  checkIn: 'mutation($id: ID!) { result: checkInAppointment(id: $id) { id } }',
  complete: 'mutation($id: ID!) { result: completeEncounter(appointmentId: $id) { id } }',
  cancel: 'mutation($id: ID!) { result: cancelAppointment(id: $id) { id } }',
};

describe.each(systems)('billing reacting to appointments on $name', ({ url, redisUrl }) => {
  let events: TestEventLog;
  let appointments: SeededAppointments;
  let billing: BillingService;
  let patient = 0;

  async function booked(serviceType: string) {
    const [slotId] = await appointments.freeSlots(1, { serviceType });
    const patientId = newPatientId(patient++);
    const { data, errors } = await appointments.call(BOOK, { slotId, patientId });
    expect(errors).toBeUndefined();
    return { appointmentId: data!.result.id as string, patientId };
  }
  async function step(name: keyof typeof STEP, appointmentId: string) {
    expect((await appointments.call(STEP[name], { id: appointmentId })).errors).toBeUndefined();
  }
  async function completed(serviceType: string) {
    const visit = await booked(serviceType);
    await step('checkIn', visit.appointmentId);
    await step('complete', visit.appointmentId);
    return visit;
  }
  const chargesOf = (appointmentId: string) =>
    billing.subgraph.database.query<{ code: string; status: string }>('SELECT code, status FROM charge WHERE appointment_id = $1 ORDER BY code', [appointmentId]);
  /** What billing announced about the appointment's charges, in order. */
  const billingAnnounced = async (appointmentId: string) =>
    (await billing.subgraph.database.query<{ event: DomainEvent }>('SELECT event FROM outbox ORDER BY seq'))
      .map((row) => row.event)
      .filter((event) => (event.data as { appointmentId?: string }).appointmentId === appointmentId)
      .map(shortType);
  /** The dead letters' event ids, through `npm run events:dead-letters` where the log outlives this process. */
  async function deadLetterIds(): Promise<string[]> {
    if (!redisUrl) return (await events.log.deadLetters(ENCOUNTERS)).map((letter) => letter.event.id);
    const { code, stdout } = await eventsCommand('dead-letters', ['--group', ENCOUNTERS], { REDIS_URL: redisUrl, EVENT_LOG_KEY_PREFIX: events.keyPrefix });
    expect(code).toBe(0);
    return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line).eventId);
  }
  async function replay(): Promise<void> {
    if (!redisUrl) return void (await events.log.replayDeadLetters(ENCOUNTERS));
    const outcome = await eventsCommand('replay', ['--group', ENCOUNTERS], { REDIS_URL: redisUrl, EVENT_LOG_KEY_PREFIX: events.keyPrefix });
    expect(outcome).toMatchObject({ code: 0, stdout: `1 dead letters of ${ENCOUNTERS} replayed\n` });
  }

  beforeAll(async () => {
    events = await openTestEventLog(redisUrl);
    [appointments, billing] = await Promise.all([startSeededAppointments(url, events.log), startBilling(url, { eventLog: events.log, reactions })]);
  });
  afterAll(async () => {
    await Promise.all([appointments?.close(), billing?.close()]);
    await events?.dispose();
  });

  it('captures the visit of an encounter completed in appointments, and announces each charge', async () => {
    const { appointmentId } = await completed('cardiology');
    await vi.waitFor(async () => expect(await chargesOf(appointmentId)).toEqual([{ code: '93000', status: 'PENDING' }, { code: '99214', status: 'PENDING' }]), soon);
    expect(await billingAnnounced(appointmentId)).toEqual(['charge.captured', 'charge.captured']);
  });

  it('leaves out a code staff captured before the encounter was completed', async () => {
    const visit = await booked('cardiology');
    await billing.capture(visit, ['99214']);
    await step('checkIn', visit.appointmentId);
    await step('complete', visit.appointmentId);
    await vi.waitFor(async () => expect((await chargesOf(visit.appointmentId)).map((charge) => charge.code)).toEqual(['93000', '99214']), soon);
    expect(await events.log.deadLetters(ENCOUNTERS)).toEqual([]);
  });

  it('charges nothing twice for an encounter.completed delivered again, even once its charge was voided', async () => {
    const first = await completed('general-practice');
    await vi.waitFor(async () => expect(await chargesOf(first.appointmentId)).toHaveLength(1), soon);
    // Staff corrected the bill: only the inbox, not the charges, now tells the event was handled.
    await billing.subgraph.database.query(`UPDATE charge SET status = 'VOID' WHERE appointment_id = $1`, [first.appointmentId]);
    const logged = await events.log.read(LOG_START, 10_000);
    const completion = logged.find(({ event }) => event.type === 'org.healthgraph.encounter.completed.v1' && event.data.appointmentId === first.appointmentId);
    await events.log.append(completion!.event);
    // The group handles events in log order: once the next encounter is charged, the copy was handled.
    const next = await completed('general-practice');
    await vi.waitFor(async () => expect(await chargesOf(next.appointmentId)).toHaveLength(1), soon);
    expect(await chargesOf(first.appointmentId)).toEqual([{ code: '99213', status: 'VOID' }]);
    expect(await billingAnnounced(first.appointmentId)).toEqual(['charge.captured']);
  });

  it('voids the pending charges of a cancelled appointment, not the invoiced ones, and announces each', async () => {
    const visit = await booked('dermatology');
    const [invoiced] = await billing.capture(visit, ['99213', '11102']);
    await billing.result(OPERATIONS.issueInvoice, { patientId: visit.patientId, chargeIds: [invoiced!.id] });
    await step('cancel', visit.appointmentId);
    const voided = [{ code: '11102', status: 'VOID' }, { code: '99213', status: 'INVOICED' }];
    await vi.waitFor(async () => expect(await chargesOf(visit.appointmentId)).toEqual(voided), soon);
    expect(await billingAnnounced(visit.appointmentId)).toEqual(['charge.captured', 'charge.captured', 'charge.voided']);
  });

  it('dead-letters an encounter it keeps failing to charge, and charges it when replayed after the fix', async () => {
    const [fee] = await billing.subgraph.database.query(`DELETE FROM fee_schedule WHERE code = '97110' RETURNING *`);
    const { appointmentId } = await completed('physiotherapy');
    const completion = await vi.waitFor(async () => {
      const [letter] = await events.log.deadLetters(ENCOUNTERS);
      expect(letter).toMatchObject({ attempts: 3, error: { code: 'BAD_USER_INPUT' }, event: { data: { appointmentId } } });
      return letter!.event;
    }, soon);
    expect(await deadLetterIds()).toEqual([completion.id]);
    expect(await chargesOf(appointmentId)).toEqual([]);

    await billing.subgraph.database.query('INSERT INTO fee_schedule (code, description, amount_cents) VALUES ($1, $2, $3)', [fee!.code, fee!.description, fee!.amount_cents]);
    await replay();
    await vi.waitFor(async () => expect(await chargesOf(appointmentId)).toEqual([{ code: '97110', status: 'PENDING' }]), soon);
    expect(await events.log.deadLetters(ENCOUNTERS)).toEqual([]);
  });
});

describe('the events commands', () => {
  it('refuse to run without a group, or without Redis (an in-memory log is out of their reach)', async () => {
    const [withoutGroup, withoutRedis] = await Promise.all([
      eventsCommand('replay', [], { REDIS_URL: redisUrl }),
      eventsCommand('dead-letters', ['--group', ENCOUNTERS], {}),
    ]);
    expect(withoutGroup).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run events:replay -- --group') });
    expect(withoutRedis).toMatchObject({ code: 2, stderr: expect.stringContaining('needs REDIS_URL') });
  });

  it('refuse a group the event log does not have, rather than report none dead', async () => {
    const events = await openTestEventLog(redisUrl);
    try {
      await events.log.append(booked(1));
      const misspelt = await eventsCommand('dead-letters', ['--group', 'billing-encounter'], { REDIS_URL: redisUrl, EVENT_LOG_KEY_PREFIX: events.keyPrefix });
      expect(misspelt).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('no consumer group "billing-encounter" on this event log') });
    } finally {
      await events.dispose();
    }
  });
});
