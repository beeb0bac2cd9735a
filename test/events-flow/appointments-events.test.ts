import { describe, expect, it } from 'vitest';
import { newPatientId, startSeededAppointments } from '../appointments/harness.ts';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { serviceWithOutbox, shortType } from './outbox.ts';

const BOOK = 'mutation($slotId: ID!, $patientId: ID!, $key: String) { result: bookAppointment(slotId: $slotId, patientId: $patientId, idempotencyKey: $key) { id serviceType } }';
const STEP = {
  confirm: 'mutation($id: ID!) { result: confirmAppointment(id: $id) { id } }',
  checkIn: 'mutation($id: ID!) { result: checkInAppointment(id: $id) { id } }',
  complete: 'mutation($id: ID!) { result: completeEncounter(appointmentId: $id) { id } }',
  noShow: 'mutation($id: ID!) { result: markNoShow(id: $id) { id } }',
  cancel: 'mutation($id: ID!) { result: cancelAppointment(id: $id, reason: "Feeling better") { id } }',
  reschedule: 'mutation($id: ID!, $slotId: ID!) { result: rescheduleAppointment(id: $id, slotId: $slotId) { id } }',
};
const patientId = newPatientId(3);

describe.each(databaseEngines)('appointments events on $engine', ({ url }) => {
  const suite = serviceWithOutbox(() => startSeededAppointments(url));
  const { written } = suite;
  /** The error codes of a lifecycle step: none when it went through. */
  const step = async (name: keyof typeof STEP, id: string, variables: Record<string, unknown> = {}) =>
    codesOf(await suite.service.call(STEP[name], { id, ...variables }));
  async function book(key?: string) {
    const [slotId] = await suite.service.freeSlots(1);
    const { data, errors } = await suite.service.call(BOOK, { slotId, patientId, key });
    expect(errors).toBeUndefined();
    return { slotId: slotId!, ...(data!.result as { id: string; serviceType: string }) };
  }

  it('announces a booking once per idempotency key, and nothing for a slot already taken', async () => {
    const { id, slotId } = await book('book-1');
    const events = await written();
    expect(events.map((event) => [shortType(event), event.data])).toEqual([['appointment.booked', { appointmentId: id, patientId, slotId }]]);
    expect((await suite.service.call(BOOK, { slotId, patientId, key: 'book-1' })).data!.result.id).toBe(id);
    expect(codesOf(await suite.service.call(BOOK, { slotId, patientId: newPatientId(4) }))).toEqual(['CONFLICT']);
    expect(await written()).toEqual([]);
  });

  it('announces each step to a completed encounter, with the service type billing prices it by', async () => {
    const { id, serviceType } = await book();
    for (const name of ['confirm', 'checkIn', 'complete'] as const) expect(await step(name, id)).toEqual([]);
    const events = await written();
    expect(events.map(shortType)).toEqual(['appointment.booked', 'appointment.confirmed', 'appointment.checked_in', 'encounter.completed']);
    expect(events.at(-1)!.data).toEqual({ appointmentId: id, patientId, serviceType });
    expect(events.map((event) => Number(event.sequence))).toEqual([1, 2, 3, 4]);
    expect(await step('complete', id)).toEqual(['CONFLICT']);
    expect(await written()).toEqual([]);
  });

  it('announces a reschedule with both slots, a cancellation with the slot it frees, and a no-show', async () => {
    const moved = await book();
    const [newSlotId] = await suite.service.freeSlots(1);
    expect(await step('reschedule', moved.id, { slotId: newSlotId })).toEqual([]);
    expect(await step('cancel', moved.id)).toEqual([]);
    const missed = await book();
    expect(await step('noShow', missed.id)).toEqual([]);
    expect((await written()).map((event) => [shortType(event), event.data])).toEqual([
      ['appointment.booked', { appointmentId: moved.id, patientId, slotId: moved.slotId }],
      ['appointment.rescheduled', { appointmentId: moved.id, patientId, previousSlotId: moved.slotId, slotId: newSlotId }],
      ['appointment.cancelled', { appointmentId: moved.id, patientId, slotId: newSlotId }],
      ['appointment.booked', { appointmentId: missed.id, patientId, slotId: missed.slotId }],
      ['appointment.no_show', { appointmentId: missed.id, patientId }],
    ]);
    expect(await step('cancel', moved.id)).toEqual(['CONFLICT']);
    expect(await step('confirm', 'apt-missing')).toEqual(['NOT_FOUND']);
    expect(await written()).toEqual([]);
  });
});
