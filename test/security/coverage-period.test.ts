// Issue 11, finding 3: an ended coverage still made a member. A pay-01 coverage for 2015–2016 let
// pay-01 read the patient's 2026 appointments, demographics and coverage with another payer:
// membership ignored the coverage's period and status.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { membersOf, payerToken, startSeededSystem, type Call, type SeededSystem } from './harness.ts';

const ADD_COVERAGE = /* GraphQL */ `
  mutation AddCoverage($patientId: ID!, $input: AddCoverageInput!) {
    addCoverage(patientId: $patientId, input: $input) { id status period { start end } }
  }
`;
const PATIENT = 'query($id: ID!) { patient(id: $id) { id mrn name { text } birthDate coverages { memberId payer { id } } appointments { id start } } }';
const APPOINTMENT = 'query($id: ID!) { appointment(id: $id) { id start status } }';
const APPOINTMENTS_OF = 'query($patientId: ID!) { appointments(filter: { patientId: $patientId }, first: 200) { id start } }';

interface Appointment {
  id: string;
  patientId: string;
  /** YYYY-MM-DD, UTC */
  date: string;
}

describe('finding 3: a payer sees a member only through an active coverage, and only what is dated within it', () => {
  let seeded: SeededSystem;
  let frontDesk: Call;
  let payer: Call;
  let appointmentsOf: Map<string, Appointment[]>;
  let coveragesOf: Map<string, Array<{ payerId: string; memberId: string }>>;
  /** Not a pay-01 member; covered by another payer; given an ended pay-01 coverage. */
  let lapsed: string;
  /** Not a pay-01 member; given a pay-01 coverage that starts on `coveredFrom` (by today), between two of its appointments. */
  let joining: string;
  let coveredFrom: string;
  /** A pay-01 member, given a second coverage with pay-02. */
  let member: string;

  const addCoverage = async (patientId: string, input: Record<string, unknown>) => {
    const answer = await frontDesk(ADD_COVERAGE, { patientId, input: { plan: 'Bronze PPO', ...input } });
    expect(answer.errors).toBeUndefined();
    return answer.data!.addCoverage;
  };

  beforeAll(async () => {
    seeded = await startSeededSystem();
    frontDesk = await seeded.as({ role: 'front_desk' });
    payer = await seeded.as(payerToken('pay-01'));
    const appointments = await seeded.db.appointments.query<{ id: string; patient_id: string; date: string }>(
      `SELECT id, patient_id, to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM appointment ORDER BY starts_at, id`,
    );
    appointmentsOf = new Map();
    for (const { id, patient_id: patientId, date } of appointments) appointmentsOf.set(patientId, [...(appointmentsOf.get(patientId) ?? []), { id, patientId, date }]);
    const coverages = await seeded.db.patients.query<{ patient_id: string; payer_id: string; member_id: string }>('SELECT patient_id, payer_id, member_id FROM coverage');
    coveragesOf = new Map();
    for (const { patient_id: patientId, payer_id: payerId, member_id: memberId } of coverages) {
      coveragesOf.set(patientId, [...(coveragesOf.get(patientId) ?? []), { payerId, memberId }]);
    }
    const members = new Set(await membersOf(seeded.db.patients, 'pay-01'));
    const outsiders = [...appointmentsOf.keys()].filter((id) => !members.has(id) && (coveragesOf.get(id) ?? []).length > 0).sort();
    const dates = (id: string) => [...new Set(appointmentsOf.get(id)!.map((appointment) => appointment.date))];
    lapsed = outsiders[0]!;
    // A coverage is active from its start: the one `joining` gets must have begun by today (the demo
    // calendar moves with the week, so a patient's second appointment may still be ahead).
    const today = new Date().toISOString().slice(0, 10);
    joining = outsiders.find((id) => id !== lapsed && dates(id).length >= 2 && dates(id)[1]! <= today)!;
    coveredFrom = dates(joining)[1]!;
    member = [...members].sort().find((id) => appointmentsOf.has(id))!;

    // The ended coverage first; then one that starts mid-way for `joining`. Coverage events are
    // consumed in order, so once pay-01 sees anything of `joining`, the ended coverage was consumed too.
    expect(await addCoverage(lapsed, { payerId: 'pay-01', memberId: 'M-LAPSED-2015', start: '2015-01-01', end: '2016-12-31' })).toMatchObject({
      status: 'ACTIVE',
      period: { start: '2015-01-01', end: '2016-12-31' },
    });
    await addCoverage(joining, { payerId: 'pay-01', memberId: 'M-JOINING', start: coveredFrom });
    await addCoverage(member, { payerId: 'pay-02', memberId: 'M-OTHER-PAYER', start: '2024-01-01' });
    await vi.waitFor(
      async () => {
        const { data } = await payer(APPOINTMENTS_OF, { patientId: joining });
        expect(data?.appointments?.length).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 200 },
    );
  });
  afterAll(() => seeded?.close());

  it('an ended coverage makes no member: no demographics, no appointments, no coverage with another payer', async () => {
    const answer = await payer(PATIENT, { id: lapsed });
    expect(answer.data?.patient ?? null).toBeNull();
    const text = JSON.stringify(answer);
    for (const coverage of coveragesOf.get(lapsed)!) expect(text).not.toContain(coverage.memberId);

    expect((await payer(APPOINTMENTS_OF, { patientId: lapsed })).data?.appointments ?? []).toEqual([]);
    for (const appointment of appointmentsOf.get(lapsed)!) {
      expect((await payer(APPOINTMENT, { id: appointment.id })).data?.appointment ?? null).toBeNull();
    }
  });

  it("a member's coverage with the payer itself is visible, its coverages with other payers are not", async () => {
    const answer = await payer(PATIENT, { id: member });
    expect(answer.data!.patient.id).toBe(member);
    const coverages = answer.data!.patient.coverages as Array<{ memberId: string; payer: { id: string } }>;
    expect(coverages.length).toBeGreaterThan(0);
    for (const coverage of coverages) expect(coverage.payer.id).toBe('pay-01');
    expect(JSON.stringify(answer)).not.toContain('M-OTHER-PAYER');
  });

  it('a member\'s appointments are visible only when dated within the active coverage period', async () => {
    const all = appointmentsOf.get(joining)!;
    const within = all.filter((appointment) => appointment.date >= coveredFrom).map((appointment) => appointment.id).sort();
    const before = all.filter((appointment) => appointment.date < coveredFrom);
    expect(before.length).toBeGreaterThan(0);

    const listed = (await payer(APPOINTMENTS_OF, { patientId: joining })).data!.appointments.map((appointment: { id: string }) => appointment.id).sort();
    expect(listed).toEqual(within);
    const throughPatient = (await payer(PATIENT, { id: joining })).data!.patient.appointments.map((appointment: { id: string }) => appointment.id).sort();
    expect(throughPatient).toEqual(within);
    for (const appointment of before) {
      expect((await payer(APPOINTMENT, { id: appointment.id })).data?.appointment ?? null).toBeNull();
    }
  });
});
