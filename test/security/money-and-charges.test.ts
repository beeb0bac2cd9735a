// Issue 11, finding 4: service and staff roles wrote money and charges unchecked. odoo_service could
// post any payment and balance an invoice; a clinician's captureCharges accepted an appointment id
// that does not exist, and charged one patient on another patient's appointment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import { pick, startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

const POST_PAYMENT = 'mutation($input: PostPaymentInput!) { postPayment(input: $input) { id amount { value } invoice { status balance { value } } } }';
const INVOICE = 'query($id: ID!) { invoice(id: $id) { id status total { value } paid { value } balance { value } payments { id amount { value } } } }';
const CAPTURE = 'mutation($input: CaptureChargesInput!) { captureCharges(input: $input) { id code patient { id } } }';

describe('finding 4: money and charges are written only by who may, on rows that are theirs', () => {
  let seeded: SeededSystem;
  let billingSpecialist: Call;
  let clinician: Call;

  const chargesOn = async (appointmentId: string) =>
    (await seeded.db.billing.query<{ id: string; patient_id: string }>('SELECT id, patient_id FROM charge WHERE appointment_id = $1 ORDER BY id', [appointmentId]));
  /** An appointment of `patientId` in `status` (or of anyone but `patientId` with `notOf`). */
  const appointment = async (status: string, patient: { of?: string; notOf?: string }) =>
    (
      await pick(
        seeded.db.appointments,
        `SELECT id FROM appointment WHERE status = $1 AND ($2::text IS NULL OR patient_id = $2) AND ($3::text IS NULL OR patient_id <> $3) ORDER BY id`,
        [status, patient.of ?? null, patient.notOf ?? null],
      )
    )[0]!;
  const capture = (appointmentId: string, patientId: string, codes = ['36415']) => clinician(CAPTURE, { input: { appointmentId, patientId, codes } });
  const expectConflict = (answer: Answer, reason: string) => {
    expect(answer.data?.captureCharges ?? null).toBeNull();
    expect(answer.errors?.map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason }))).toEqual([{ code: 'CONFLICT', reason }]);
  };

  beforeAll(async () => {
    seeded = await startSeededSystem();
    billingSpecialist = await seeded.as({ role: 'billing_specialist' });
    clinician = await seeded.as({ role: 'clinician' });
  });
  afterAll(() => seeded?.close());

  it('odoo_service may not post a payment (FORBIDDEN), and the invoice is unchanged', async () => {
    const [invoiceId] = await pick(seeded.db.billing, `SELECT id FROM invoice WHERE status = 'ISSUED' AND paid_cents < total_cents ORDER BY id`);
    const before = (await billingSpecialist(INVOICE, { id: invoiceId })).data!.invoice;
    const odoo = await seeded.as({ role: 'odoo_service' });
    const answer = await odoo(POST_PAYMENT, { input: { invoiceId, amount: before.balance.value, method: 'BANK_TRANSFER', reference: 'odoo-says-paid' } });
    expect(answer.data?.postPayment ?? null).toBeNull();
    expect(codesOf(answer)).toEqual(['FORBIDDEN']);
    expect((await billingSpecialist(INVOICE, { id: invoiceId })).data!.invoice).toEqual(before);
  });

  it('a clinician capturing on an appointment that does not exist gets NOT_FOUND, and no charge is made', async () => {
    const [patientId] = await pick(seeded.db.patients, 'SELECT id FROM patient ORDER BY id');
    const answer = await capture('apt-does-not-exist', patientId!);
    expect(answer.data?.captureCharges ?? null).toBeNull();
    expect(codesOf(answer)).toEqual(['NOT_FOUND']);
    expect(await chargesOn('apt-does-not-exist')).toEqual([]);
  });

  it("a clinician may not charge a patient on another patient's appointment (CONFLICT APPOINTMENT_OF_ANOTHER_PATIENT)", async () => {
    for (const status of ['BOOKED', 'FULFILLED']) {
      const [someone] = await pick(seeded.db.patients, 'SELECT id FROM patient ORDER BY id');
      const theirs = await appointment(status, { notOf: someone });
      const before = await chargesOn(theirs);
      expectConflict(await capture(theirs, someone!, ['20610']), 'APPOINTMENT_OF_ANOTHER_PATIENT');
      expect(await chargesOn(theirs)).toEqual(before);
    }
  });

  it('a clinician may not capture before the encounter is completed (CONFLICT ENCOUNTER_NOT_COMPLETED)', async () => {
    // The last by id: the test above takes the first.
    const [booked] = await seeded.db.appointments.query<{ id: string; patient_id: string }>(
      `SELECT id, patient_id FROM appointment WHERE status = 'BOOKED' ORDER BY id DESC LIMIT 1`,
    );
    expectConflict(await capture(booked!.id, booked!.patient_id), 'ENCOUNTER_NOT_COMPLETED');
    expect(await chargesOn(booked!.id)).toEqual([]);
  });

  it('a clinician still captures a code on a completed encounter of that patient', async () => {
    const completed = await seeded.db.appointments.query<{ id: string; patient_id: string }>(
      `SELECT id, patient_id FROM appointment WHERE status = 'FULFILLED' ORDER BY id DESC`,
    );
    const charged = new Set(
      (await seeded.db.billing.query<{ appointment_id: string }>(`SELECT appointment_id FROM charge WHERE code = '20610'`)).map((row) => row.appointment_id),
    );
    const fulfilled = completed.find((candidate) => !charged.has(candidate.id));
    const answer = await capture(fulfilled!.id, fulfilled!.patient_id, ['20610']);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.captureCharges).toEqual([expect.objectContaining({ code: '20610', patient: { id: fulfilled!.patient_id } })]);
  });
});
