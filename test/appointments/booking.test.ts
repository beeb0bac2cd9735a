import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { codesOf, type GraphQLResponse } from '../support/graphql.ts';
import { FUTURE, newPatientId, startSeededAppointments, type SeededAppointments } from './harness.ts';

const BOOK = /* GraphQL */ `
  mutation Book($slotId: ID!, $patientId: ID!, $reason: String, $key: String) {
    result: bookAppointment(slotId: $slotId, patientId: $patientId, reason: $reason, idempotencyKey: $key) {
      id status reason start serviceType bookedAt slot { id status start } patient { id }
    }
  }
`;

/** Every lifecycle step as a mutation answering `result`. */
const STEP = {
  confirm: 'mutation($id: ID!) { result: confirmAppointment(id: $id) { id status } }',
  checkIn: 'mutation($id: ID!) { result: checkInAppointment(id: $id) { id status } }',
  complete: 'mutation($id: ID!) { result: completeEncounter(appointmentId: $id) { id status } }',
  noShow: 'mutation($id: ID!) { result: markNoShow(id: $id) { id status } }',
  cancel: 'mutation($id: ID!, $reason: String) { result: cancelAppointment(id: $id, reason: $reason) { id status cancellationReason slot { id status start practitioner { id } } } }',
  reschedule: 'mutation($id: ID!, $slotId: ID!) { result: rescheduleAppointment(id: $id, slotId: $slotId) { id status start slot { id status start } } }',
};
type Step = keyof typeof STEP;

const SLOT_STATUS = 'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Slot { id status } } }';

const reasonOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.reason;

describe.each(databaseEngines)('booking on $engine', ({ url }) => {
  let service: SeededAppointments;
  let patient = 0;
  const nextPatient = () => newPatientId(patient++);

  const book = (slotId: string, variables: Record<string, unknown> = {}) => service.call(BOOK, { slotId, patientId: nextPatient(), ...variables });
  const step = (name: Step, id: string, variables: Record<string, unknown> = {}) => service.call(STEP[name], { id, ...variables });
  const slotStatus = async (id: string) =>
    (await service.call(SLOT_STATUS, { reps: [{ __typename: 'Slot', id }] })).data!._entities[0].status as string;
  /** The latest free slot of the seeded past, which leaves about half its slots free. */
  async function pastFreeSlot(): Promise<string> {
    const [row] = await service.subgraph.database.query<{ id: string }>(
      `SELECT id FROM slot WHERE status = 'FREE' AND ends_at < now() ORDER BY starts_at DESC, id LIMIT 1`,
    );
    return row!.id;
  }
  /** A free slot of the future moved to have started a minute ago: under way, not over. */
  async function startedSlot(): Promise<string> {
    const [row] = await service.subgraph.database.query<{ id: string }>(
      `UPDATE slot SET starts_at = now() - interval '1 minute', ends_at = now() + interval '29 minutes'
       WHERE id = (SELECT id FROM slot WHERE status = 'FREE' AND starts_at > now() ORDER BY starts_at DESC, id LIMIT 1) RETURNING id`,
    );
    return row!.id;
  }
  const expectSlotInPast = (response: GraphQLResponse, slotId: string) => {
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.extensions).toMatchObject({ reason: 'SLOT_IN_PAST', slotId });
    // The slot, and nothing of the patient.
    expect(response.errors![0]!.message).toBe(`Slot ${slotId} has already started`);
  };
  async function booked(): Promise<{ id: string; slotId: string }> {
    const [slotId] = await service.freeSlots(1);
    const { data } = await book(slotId!);
    return { id: data!.result.id, slotId: slotId! };
  }

  beforeAll(async () => {
    service = await startSeededAppointments(url);
  });
  afterAll(() => service?.close());

  it('books a free slot and follows the appointment to FULFILLED', async () => {
    const [slotId] = await service.freeSlots(1, { serviceType: 'cardiology' });
    const patientId = newPatientId(99);
    const { data, errors } = await book(slotId!, { patientId, reason: ' chest pain ' });
    expect(errors).toBeUndefined();
    const appointment = data!.result;
    expect(appointment).toMatchObject({ status: 'BOOKED', reason: 'chest pain', serviceType: 'cardiology', patient: { id: patientId } });
    expect(appointment.slot).toMatchObject({ id: slotId, status: 'BUSY' });
    expect(appointment.start).toBe(appointment.slot.start);
    expect(appointment.id).toMatch(/^apt-/);
    for (const [name, status] of [['confirm', 'CONFIRMED'], ['checkIn', 'ARRIVED'], ['complete', 'FULFILLED']] as const) {
      expect((await step(name, appointment.id)).data!.result.status).toBe(status);
    }
  });

  it.each<{ path: Step[]; illegal: Step; from: string; to: string }>([
    { path: [], illegal: 'complete', from: 'BOOKED', to: 'FULFILLED' },
    { path: ['confirm'], illegal: 'confirm', from: 'CONFIRMED', to: 'CONFIRMED' },
    { path: ['checkIn'], illegal: 'cancel', from: 'ARRIVED', to: 'CANCELLED' },
    { path: ['checkIn'], illegal: 'reschedule', from: 'ARRIVED', to: 'BOOKED' },
    { path: ['noShow'], illegal: 'checkIn', from: 'NOSHOW', to: 'ARRIVED' },
    { path: ['cancel'], illegal: 'confirm', from: 'CANCELLED', to: 'CONFIRMED' },
    { path: ['confirm', 'checkIn', 'complete'], illegal: 'noShow', from: 'FULFILLED', to: 'NOSHOW' },
  ])('refuses $from -> $to with CONFLICT INVALID_TRANSITION', async ({ path, illegal, from, to }) => {
    const { id } = await booked();
    for (const name of path) expect((await step(name, id)).errors).toBeUndefined();
    const [otherSlot] = await service.freeSlots(1);
    const refused = await step(illegal, id, { slotId: otherSlot });
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions).toMatchObject({ reason: 'INVALID_TRANSITION', from, to });
    expect(refused.errors![0]!.message).toContain(`${from} to ${to}`);
  });

  it('cancelling frees the slot, which can then be booked again', async () => {
    const { id, slotId } = await booked();
    const cancelled = (await step('cancel', id, { reason: 'Feeling better' })).data!.result;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Feeling better', slot: { id: slotId, status: 'FREE' } });
    const { data } = await service.call(
      'query($filter: SlotFilter, $from: DateTime!, $to: DateTime!) { availableSlots(filter: $filter, from: $from, to: $to, first: 1) { id } }',
      { filter: { practitionerId: cancelled.slot.practitioner.id }, from: cancelled.slot.start, to: FUTURE.to },
    );
    expect(data!.availableSlots).toEqual([{ id: slotId }]);
    const rebooked = await book(slotId);
    expect(rebooked.data!.result).toMatchObject({ status: 'BOOKED', slot: { id: slotId, status: 'BUSY' } });
    expect(rebooked.data!.result.id).not.toBe(id);
  });

  it('reschedules to a free slot, frees the old one, and is BOOKED again', async () => {
    const { id, slotId } = await booked();
    await step('confirm', id);
    const [, newSlot] = await service.freeSlots(2);
    const moved = (await step('reschedule', id, { slotId: newSlot })).data!.result;
    expect(moved).toMatchObject({ id, status: 'BOOKED', slot: { id: newSlot, status: 'BUSY' } });
    expect(moved.start).toBe(moved.slot.start);
    expect(await slotStatus(slotId)).toBe('FREE');
  });

  it('refuses to reschedule onto a taken or unknown slot and leaves the appointment where it was', async () => {
    const { id, slotId } = await booked();
    const taken = await booked();
    const onTaken = await step('reschedule', id, { slotId: taken.slotId });
    expect(codesOf(onTaken)).toEqual(['CONFLICT']);
    expect(reasonOf(onTaken)).toBe('SLOT_TAKEN');
    expect(codesOf(await step('reschedule', id, { slotId: 'slot-prac-99-2026-11-24T09:00' }))).toEqual(['NOT_FOUND']);
    expect(await slotStatus(slotId)).toBe('BUSY');
    const { data } = await service.call('query($id: ID!) { appointment(id: $id) { status slot { id } } }', { id });
    expect(data!.appointment).toEqual({ status: 'BOOKED', slot: { id: slotId } });
  });

  it('refuses to book a slot of the past with CONFLICT SLOT_IN_PAST and leaves it FREE', async () => {
    const slotId = await pastFreeSlot();
    expectSlotInPast(await book(slotId, { patientId: newPatientId(50) }), slotId);
    expect(await slotStatus(slotId)).toBe('FREE');
    const rows = await service.subgraph.database.query('SELECT 1 FROM appointment WHERE slot_id = $1', [slotId]);
    expect(rows).toHaveLength(0);
  });

  it('neither offers nor books a slot that started a minute ago', async () => {
    const slotId = await startedSlot();
    const { data } = await service.call(
      'query($from: DateTime!, $to: DateTime!) { availableSlots(from: $from, to: $to, first: 200) { id } }',
      { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() },
    );
    expect(data!.availableSlots).not.toContainEqual({ id: slotId });
    expectSlotInPast(await book(slotId, { patientId: newPatientId(50) }), slotId);
    expect(await slotStatus(slotId)).toBe('FREE');
  });

  it('answers a slot both past and taken with SLOT_IN_PAST: no waiting makes it free', async () => {
    const [row] = await service.subgraph.database.query<{ id: string }>(
      `SELECT id FROM slot WHERE status = 'BUSY' AND ends_at < now() ORDER BY starts_at DESC, id LIMIT 1`,
    );
    expectSlotInPast(await book(row!.id, { patientId: newPatientId(50) }), row!.id);
  });

  it('refuses to reschedule onto a slot of the past and leaves the appointment where it was', async () => {
    const { id, slotId } = await booked();
    const pastSlot = await pastFreeSlot();
    expectSlotInPast(await step('reschedule', id, { slotId: pastSlot }), pastSlot);
    expect(await slotStatus(pastSlot)).toBe('FREE');
    expect(await slotStatus(slotId)).toBe('BUSY');
    const { data } = await service.call('query($id: ID!) { appointment(id: $id) { status slot { id } } }', { id });
    expect(data!.appointment).toEqual({ status: 'BOOKED', slot: { id: slotId } });
  });

  it('answers a taken slot with CONFLICT SLOT_TAKEN and unknown ids with NOT_FOUND', async () => {
    const { slotId } = await booked();
    const again = await book(slotId);
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(reasonOf(again)).toBe('SLOT_TAKEN');
    expect(codesOf(await book('slot-unknown'))).toEqual(['NOT_FOUND']);
    for (const name of Object.keys(STEP) as Step[]) {
      const [freeSlot] = await service.freeSlots(1);
      const response = await step(name, 'apt-unknown', { slotId: freeSlot });
      expect(codesOf(response), name).toEqual(['NOT_FOUND']);
      expect(response.errors![0]!.extensions).toMatchObject({ entity: 'Appointment', id: 'apt-unknown' });
    }
  });

  it('falls back on the unique index when a slot is marked FREE under a live appointment', async () => {
    const { slotId } = await booked();
    await service.subgraph.database.query(`UPDATE slot SET status = 'FREE' WHERE id = $1`, [slotId]);
    const response = await book(slotId);
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(reasonOf(response)).toBe('SLOT_TAKEN');
    const rows = await service.subgraph.database.query(`SELECT 1 FROM appointment WHERE slot_id = $1 AND status <> 'CANCELLED'`, [slotId]);
    expect(rows).toHaveLength(1);
    await service.subgraph.database.query(`UPDATE slot SET status = 'BUSY' WHERE id = $1`, [slotId]);
  });

  it('refuses a patient id that is not one and a reason that is too long', async () => {
    const [slotId] = await service.freeSlots(1);
    expect(codesOf(await book(slotId!, { patientId: 'patient 7' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await book(slotId!, { reason: 'x'.repeat(501) }))).toEqual(['BAD_USER_INPUT']);
    expect(await slotStatus(slotId!)).toBe('FREE');
  });

  it('returns the first appointment for a retried idempotency key, and refuses the key for another slot', async () => {
    const [slotId, otherSlot] = await service.freeSlots(2);
    const key = `book-${Date.now()}`;
    const first = await book(slotId!, { patientId: newPatientId(98), key });
    const retry = await book(slotId!, { patientId: newPatientId(98), key });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.result.id).toBe(first.data!.result.id);
    const reused = await book(otherSlot!, { patientId: newPatientId(98), key });
    expect(codesOf(reused)).toEqual(['CONFLICT']);
    expect(reasonOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await slotStatus(otherSlot!)).toBe('FREE');
    const rows = await service.subgraph.database.query('SELECT id FROM appointment WHERE slot_id = $1', [slotId]);
    expect(rows).toHaveLength(1);
  });

  it('books one slot once out of 100 concurrent requests; the other 99 get CONFLICT', async () => {
    const [slotId] = await service.freeSlots(1);
    const responses = await Promise.all(Array.from({ length: 100 }, () => book(slotId!)));
    expect(responses.filter((response) => response.data?.result?.status === 'BOOKED')).toHaveLength(1);
    const refused = responses.filter((response) => codesOf(response).includes('CONFLICT'));
    expect(refused).toHaveLength(99);
    expect(refused.every((response) => reasonOf(response) === 'SLOT_TAKEN')).toBe(true);
    const rows = await service.subgraph.database.query('SELECT status FROM appointment WHERE slot_id = $1', [slotId]);
    expect(rows).toEqual([{ status: 'BOOKED' }]);
  });
});
