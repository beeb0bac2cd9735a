import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { domainEvent } from '../../platform/events/envelope.ts';
import { seedAppointments } from '../../subgraphs/appointments/demo-seed.ts';
import { appointmentsSubgraph } from '../../subgraphs/appointments/subgraph.ts';
import { ANCHOR, FUTURE, newPatientId, PATIENT_IDS } from '../appointments/harness.ts';
import { openTestEventLog, type TestEventLog } from '../events/event-logs.ts';
import { codesOf } from '../support/graphql.ts';
import { callerOf, patientCaller, payerCaller, startScoped, type Call, type ScopedSubgraph } from './harness.ts';

const APPOINTMENTS = 'query($from: DateTime, $to: DateTime) { appointments(filter: { from: $from, to: $to }, first: 200) { id patient { id } } }';
const APPOINTMENT = 'query($id: ID!) { appointment(id: $id) { id } }';
const SLOTS = 'query($from: DateTime!, $to: DateTime!) { availableSlots(from: $from, to: $to, first: 2) { id } }';
const BOOK = 'mutation($slotId: ID!, $patientId: ID!) { bookAppointment(slotId: $slotId, patientId: $patientId) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelAppointment(id: $id) { id } }';
const [member, joining, own] = PATIENT_IDS as [string, string, string];
/** Two patients with nothing booked yet, so below the quota of appointments to come. */
const [booker, another] = [newPatientId(0), newPatientId(1)];
const coverageOf = (patientId: string, payerId: string, coverageId: string) =>
  ({ coverageId, patientId, payerId, status: 'ACTIVE', periodStart: '2020-01-01', periodEnd: null }) as const;

/** The patients whose appointments `call` sees in the seeded week ahead. */
async function patientsSeen(call: Call): Promise<Set<string>> {
  const { data, errors } = await call(APPOINTMENTS, FUTURE);
  expect(errors).toBeUndefined();
  return new Set(data!.appointments.map((appointment: { patient: { id: string } }) => appointment.patient.id));
}

describe('appointments row rules on PGlite with the in-memory log', () => {
  let events: TestEventLog;
  let service: ScopedSubgraph;

  beforeAll(async () => {
    events = await openTestEventLog(undefined);
    service = await startScoped(appointmentsSubgraph, undefined, events.log);
    await seedAppointments(service.subgraph.database, { patientIds: PATIENT_IDS, anchor: ANCHOR, coverages: [coverageOf(member, 'payer-a', 'cov-member')] });
  });
  afterAll(async () => {
    await service?.close();
    await events?.dispose();
  });

  it('staff see every patient\'s appointments, a patient its own', async () => {
    expect((await patientsSeen(service.as(callerOf('front_desk')))).size).toBeGreaterThan(3);
    expect(await patientsSeen(service.as(patientCaller(own)))).toEqual(new Set([own]));
  });

  it('a payer sees its members\' appointments, and a new member\'s once coverage.added is consumed', async () => {
    const payer = service.as(payerCaller('payer-a'));
    expect(await patientsSeen(payer)).toEqual(new Set([member]));
    expect(await patientsSeen(service.as(payerCaller('payer-b')))).toEqual(new Set());
    await events.log.append(domainEvent('org.healthgraph.coverage.added.v1', coverageOf(joining, 'payer-a', 'cov-new'), 1));
    await vi.waitFor(async () => expect(await patientsSeen(payer)).toEqual(new Set([member, joining])), { timeout: 10_000, interval: 50 });
  });

  it('a patient books and cancels only for itself; another\'s appointment is not found', async () => {
    const staff = service.as(callerOf('front_desk'));
    const patient = service.as(patientCaller(booker));
    const [mine, theirs] = (await staff(SLOTS, FUTURE)).data!.availableSlots.map((slot: { id: string }) => slot.id);
    expect(codesOf(await patient(BOOK, { slotId: theirs, patientId: another }))).toEqual(['NOT_FOUND']);
    const booked = await patient(BOOK, { slotId: mine, patientId: booker });
    expect(booked.errors).toBeUndefined();
    const other = (await staff(BOOK, { slotId: theirs, patientId: another })).data!.bookAppointment.id;
    expect((await patient(APPOINTMENT, { id: other })).data!.appointment).toBeNull();
    expect(codesOf(await patient(CANCEL, { id: other }))).toEqual(['NOT_FOUND']);
    expect((await patient(CANCEL, { id: booked.data!.bookAppointment.id })).errors).toBeUndefined();
  });
});
