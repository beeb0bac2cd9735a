// Issue 11, finding 5: an access record was written only when the operation selected a Patient
// object. Appointment reasons, claims, invoices, payments and charges read alone, searches selecting
// only cursors, mutation results, webhook deliveries and attempts answered with null left none.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../platform/audit/access-record.ts';
import { patientsNamed } from '../support/access-records.ts';
import { startReceiver, type WebhookReceiver } from '../webhooks/receiver.ts';
import { patientToken, payerToken, pick, startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

describe('finding 5: every disclosure of patient data leaves an access record, and so does every attempt refused', () => {
  let seeded: SeededSystem;
  let billingSpecialist: Call;
  let frontDesk: Call;
  let receiver: WebhookReceiver | undefined;

  /** The request's records, once there are any (this finding is about whether, not when: see record-then-release). */
  const recordsOf = async (answer: Answer): Promise<AuditEvent[]> => {
    let records: AuditEvent[] = [];
    await vi.waitFor(
      async () => {
        records = await seeded.recordsOf(answer.requestId);
        expect(records, `no access record for request ${answer.requestId}`).not.toEqual([]);
      },
      { timeout: 5_000, interval: 50 },
    );
    return records;
  };
  /** A read answered with data, then the record naming exactly `patientId`. */
  const expectRecorded = async (answer: Answer, patientIds: string[]) => {
    expect(answer.errors).toBeUndefined();
    const records = await recordsOf(answer);
    expect(patientsNamed(records)).toEqual([...patientIds].sort());
    expect(records.map((record) => record.outcome)).not.toContain('denied');
  };
  const patientOf = async (db: keyof SeededSystem['db'], table: string, id: string) =>
    (await pick(seeded.db[db], `SELECT patient_id FROM ${table} WHERE id = $1`, [id]))[0]!;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    billingSpecialist = await seeded.as({ role: 'billing_specialist' });
    frontDesk = await seeded.as({ role: 'front_desk' });
  });
  afterAll(async () => {
    await receiver?.close();
    await seeded?.close();
  });

  it("an appointment's reason read without its patient", async () => {
    const [appointmentId] = await pick(seeded.db.appointments, 'SELECT id FROM appointment WHERE reason IS NOT NULL ORDER BY id');
    const clinician = await seeded.as({ role: 'clinician' });
    const answer = await clinician('query($id: ID!) { appointment(id: $id) { reason } }', { id: appointmentId });
    expect(answer.data!.appointment.reason).toEqual(expect.any(String));
    await expectRecorded(answer, [await patientOf('appointments', 'appointment', appointmentId!)]);
  });

  it.each([
    { field: 'claim', table: 'claim', selection: 'total { value }' },
    { field: 'invoice', table: 'invoice', selection: 'total { value }' },
    { field: 'charge', table: 'charge', selection: 'amount { value }' },
  ])('$field(id) read without its patient', async ({ field, table, selection }) => {
    const [id] = await pick(seeded.db.billing, `SELECT id FROM ${table} ORDER BY id DESC`);
    const answer = await billingSpecialist(`query($id: ID!) { ${field}(id: $id) { ${selection} } }`, { id });
    expect(answer.data![field]).not.toBeNull();
    await expectRecorded(answer, [await patientOf('billing', table, id!)]);
  });

  it('payment(id) read without its patient', async () => {
    const [payment] = await seeded.db.billing.query<{ id: string; patient_id: string }>(
      'SELECT p.id, i.patient_id FROM payment p JOIN invoice i ON i.id = p.invoice_id ORDER BY p.id LIMIT 1',
    );
    const answer = await billingSpecialist('query($id: ID!) { payment(id: $id) { amount { value } } }', { id: payment!.id });
    expect(answer.data!.payment).not.toBeNull();
    await expectRecorded(answer, [payment!.patient_id]);
  });

  it('a search selecting only cursors names every patient it found', async () => {
    const search = { name: 'smi' };
    const found = await frontDesk('query($search: PatientSearch!) { patients(search: $search, first: 5) { edges { node { id } } } }', { search });
    const patientIds = found.data!.patients.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(patientIds.length).toBeGreaterThan(0);
    const answer = await frontDesk('query($search: PatientSearch!) { patients(search: $search, first: 5) { edges { cursor } pageInfo { endCursor } } }', { search });
    await expectRecorded(answer, patientIds);
  });

  it("a mutation's result: the owning payer's adjudication, a booking", async () => {
    const [claim] = await seeded.db.billing.query<{ id: string; patient_id: string }>(
      `SELECT id, patient_id FROM claim WHERE payer_id = 'pay-01' AND status = 'SUBMITTED' ORDER BY id LIMIT 1`,
    );
    const payer = await seeded.as(payerToken('pay-01'));
    const adjudicated = await payer('mutation($id: ID!) { recordAdjudication(input: { claimId: $id, outcome: DENIED, denialReason: "Not covered" }) { id status } }', {
      id: claim!.id,
    });
    await expectRecorded(adjudicated, [claim!.patient_id]);

    const now = new Date();
    const slots = await frontDesk('query($from: DateTime!, $to: DateTime!) { availableSlots(from: $from, to: $to, first: 1) { id } }', {
      // An hour ahead: a slot starting any moment now could start before it is booked.
      from: new Date(now.getTime() + 3_600_000).toISOString(),
      to: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
    });
    const [patientId] = await pick(seeded.db.patients, 'SELECT id FROM patient ORDER BY id DESC');
    const booked = await frontDesk('mutation($slotId: ID!, $patientId: ID!) { bookAppointment(slotId: $slotId, patientId: $patientId, reason: "follow-up") { id status } }', {
      slotId: slots.data!.availableSlots[0].id,
      patientId,
    });
    await expectRecorded(booked, [patientId!]);
  });

  it("a webhook delivery, under the partner's delivery identity", async () => {
    receiver = await startReceiver([200]);
    const payer = await seeded.as(payerToken('pay-02'));
    const registered = await payer(
      'mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { id } }',
      { input: { url: receiver.url, eventTypes: ['org.healthgraph.claim.adjudicated.v1'] } },
    );
    expect(registered.errors).toBeUndefined();
    const [claim] = await seeded.db.billing.query<{ id: string; patient_id: string }>(
      `SELECT id, patient_id FROM claim WHERE payer_id = 'pay-02' AND status = 'SUBMITTED' ORDER BY id LIMIT 1`,
    );
    const adjudicated = await payer('mutation($id: ID!) { recordAdjudication(input: { claimId: $id, outcome: ACCEPTED, approvedAmount: 1 }) { id } }', { id: claim!.id });
    expect(adjudicated.errors).toBeUndefined();

    await vi.waitFor(() => expect(receiver!.received.map((delivery) => delivery.body).join('\n')).toContain(claim!.id), { timeout: 15_000, interval: 50 });
    await vi.waitFor(
      async () => {
        const deliveries = await seeded.db.audit.query<{ outcome: string }>(
          'SELECT outcome FROM audit_event WHERE subject = $1 AND $2 = ANY(patient_ids)',
          ['webhooks:pay-02', claim!.patient_id],
        );
        expect(deliveries.map((record) => record.outcome)).toContain('allowed');
      },
      { timeout: 5_000, interval: 50 },
    );
  });

  it('an attempt a row rule answered with null, recorded as denied, naming the patient asked for', async () => {
    const [own, other] = await pick<string>(seeded.db.appointments, 'SELECT DISTINCT patient_id FROM appointment ORDER BY 1', [], 2);
    const [theirAppointment] = await pick(seeded.db.appointments, 'SELECT id FROM appointment WHERE patient_id = $1 ORDER BY id', [other]);
    const patient = await seeded.as(patientToken(own!));
    for (const [query, variables] of [
      ['query($id: ID!) { patient(id: $id) { name { text } birthDate } }', { id: other }],
      ['query($id: ID!) { appointment(id: $id) { start reason } }', { id: theirAppointment }],
    ] as const) {
      const answer = await patient(query, variables);
      expect(Object.values(answer.data ?? {})).toEqual([null]);
      const records = await recordsOf(answer);
      expect(records.filter((record) => record.outcome === 'denied').flatMap((record) => record.patientIds)).toContain(other);
    }
  });
});
