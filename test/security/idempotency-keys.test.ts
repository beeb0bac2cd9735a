// Issue 11, finding 8: idempotency keys were global. Another caller's key answered CONFLICT, and replaying
// another caller's exact request answered INTERNAL_SERVER_ERROR: both told the caller it had been made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import { errorShape, patientToken, pick, startSeededSystem, type SeededSystem } from './harness.ts';

const BOOK = /* GraphQL */ `
  mutation Book($slotId: ID!, $patientId: ID!, $key: String) {
    bookAppointment(slotId: $slotId, patientId: $patientId, reason: "check-up", idempotencyKey: $key) { id patient { id } }
  }
`;
const REGISTER = /* GraphQL */ `
  mutation Register($key: String) {
    registerPatient(input: { name: { family: "Keyes", given: ["Ida"] }, birthDate: "1980-01-02", gender: FEMALE }, idempotencyKey: $key) { id }
  }
`;
const CONSENT = /* GraphQL */ `
  mutation Consent($patientId: ID!, $key: String) {
    recordConsent(patientId: $patientId, input: { category: RESEARCH, decision: PERMIT, start: "2026-01-01" }, idempotencyKey: $key) { id }
  }
`;

describe('finding 8: an idempotency key is the caller’s own, per operation', () => {
  let seeded: SeededSystem;
  let freeSlots: string[];
  let patients: string[];
  const slot = () => freeSlots.shift()!;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    freeSlots = await pick(seeded.db.appointments, "SELECT id FROM slot WHERE status = 'FREE' AND starts_at > now() + interval '1 hour' ORDER BY starts_at, id", [], 8);
    patients = await pick(seeded.db.patients, 'SELECT id FROM patient ORDER BY id', [], 3);
  });
  afterAll(() => seeded?.close());

  it("another caller's key is simply another key: the booking is made", async () => {
    const deskA = await seeded.as({ role: 'front_desk', subject: 'desk-a' });
    const deskB = await seeded.as({ role: 'front_desk', subject: 'desk-b' });
    const first = await deskA(BOOK, { slotId: slot(), patientId: patients[0], key: 'shared-key-1' });
    expect(first.errors).toBeUndefined();
    const second = await deskB(BOOK, { slotId: slot(), patientId: patients[1], key: 'shared-key-1' });
    expect(second.errors).toBeUndefined();
    expect(second.data!.bookAppointment.id).not.toBe(first.data!.bookAppointment.id);
    expect(second.data!.bookAppointment.patient.id).toBe(patients[1]);
  });

  it("replaying another caller's exact request is answered as if the key were new, never with the first result", async () => {
    const [victim, insider] = [patients[0]!, patients[2]!];
    const request = { slotId: slot(), patientId: victim, key: 'portal-retry-7' };
    const made = await (await seeded.as(patientToken(victim)))(BOOK, request);
    expect(made.errors).toBeUndefined();

    const asInsider = await seeded.as(patientToken(insider));
    const replay = await asInsider(BOOK, request);
    const fresh = await asInsider(BOOK, { ...request, key: 'a-key-never-used' });
    expect(replay.data?.bookAppointment ?? null).toBeNull();
    expect(codesOf(replay)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(errorShape(replay, request.slotId)).toEqual(errorShape(fresh, request.slotId));
  });

  it('the same key on another operation of the same caller is another key too', async () => {
    const desk = await seeded.as({ role: 'front_desk', subject: 'desk-c' });
    const registered = await desk(REGISTER, { key: 'desk-c-1' });
    expect(registered.errors).toBeUndefined();
    const consented = await desk(CONSENT, { patientId: registered.data!.registerPatient.id, key: 'desk-c-1' });
    expect(consented.errors).toBeUndefined();
  });

  it("still returns the caller's own first result on a retry, and refuses its key on a different request", async () => {
    const desk = await seeded.as({ role: 'front_desk', subject: 'desk-d' });
    const request = { slotId: slot(), patientId: patients[0], key: 'desk-d-1' };
    const first = await desk(BOOK, request);
    const retry = await desk(BOOK, request);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.bookAppointment.id).toBe(first.data!.bookAppointment.id);
    const other = await desk(BOOK, { ...request, slotId: slot() });
    expect(other.errors?.map((error) => error.extensions?.reason)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });
});
