import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import { column, startSeededSystem, type Call, type SeededSystem } from '../security/harness.ts';

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

const SAVE_PRACTITIONER = `mutation($input: PractitionerInput!) { savePractitioner(input: $input) { id name { text } specialty } }`;
const SAVE_LOCATION = `mutation($input: LocationInput!) { saveLocation(input: $input) { id name city } }`;
const SAVE_SCHEDULE = `mutation($input: ScheduleInput!) {
  saveSchedule(input: $input) { id practitioner { id } location { id } serviceType slotMinutes availableTime { daysOfWeek start end } planningHorizon { start end } }
}`;
const SAVE_PAYER = `mutation($input: PayerInput!) { savePayer(input: $input) { id name identifier } }`;
const SAVE_FEE = `mutation($input: FeeScheduleEntryInput!) { saveFeeScheduleEntry(input: $input) { code description amount { value } } }`;
const SLOTS = `query($filter: SlotFilter, $from: DateTime!, $to: DateTime!) { availableSlots(filter: $filter, from: $from, to: $to, first: 200) { id start end serviceType practitioner { id } location { id } } }`;
const ACTIONS = 'query($from: DateTime!, $to: DateTime!) { actionTrail(from: $from, to: $to, first: 500) { roles actions { action target } } }';
const BOOK = `mutation($slotId: ID!, $patientId: ID!) { bookAppointment(slotId: $slotId, patientId: $patientId) { id status slot { id } practitioner { id } } }`;

const practitioner = { id: 'prac-refdata', family: 'Ibarra', given: ['Lucia'], specialty: 'Dermatology' };
const location = { id: 'loc-refdata', name: 'Harbourside Clinic', city: 'Bristol' };
/** Every day of the next two weeks, 10:00-11:00 UTC in 20-minute slots: slots still to come whatever today is. */
const schedule = {
  id: 'sched-refdata',
  practitionerId: practitioner.id,
  locationId: location.id,
  serviceType: 'dermatology',
  slotMinutes: 20,
  availableTime: [{ daysOfWeek: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: '10:00', end: '11:00' }],
  planningHorizon: { start: dateIn(1), end: dateIn(15) },
};

describe('reference data an administrator manages, through the gateway', () => {
  let seeded: SeededSystem;
  let admin: Call;
  let desk: Call;
  let clinician: Call;
  /** Holds every write scope, but not the admin role: the policy, not the scopes, refuses it. */
  let scopedDesk: Call;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    admin = await seeded.as({ role: 'admin' });
    desk = await seeded.as({ role: 'front_desk' });
    clinician = await seeded.as({ role: 'clinician' });
    scopedDesk = await seeded.as({ role: 'front_desk', scopes: ['user/*.cruds'] });
  });
  afterAll(() => seeded?.close());

  it('creates a practitioner with a schedule whose generated slots are offered and booked like any other', async () => {
    expect((await admin(SAVE_PRACTITIONER, { input: practitioner })).data?.savePractitioner).toEqual({ id: practitioner.id, name: { text: 'Lucia Ibarra' }, specialty: 'Dermatology' });
    expect((await admin(SAVE_LOCATION, { input: location })).data?.saveLocation).toEqual(location);
    const saved = await admin(SAVE_SCHEDULE, { input: schedule });
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.saveSchedule).toMatchObject({ id: schedule.id, practitioner: { id: practitioner.id }, location: { id: location.id }, slotMinutes: 20, planningHorizon: schedule.planningHorizon });

    const read = await desk(`query($id: ID!) { practitioner(id: $id) { schedules { id location { name } serviceType slotMinutes availableTime { daysOfWeek start end } planningHorizon { start end } } } }`, { id: practitioner.id });
    expect(read.data?.practitioner.schedules).toEqual([
      { id: schedule.id, location: { name: location.name }, serviceType: 'dermatology', slotMinutes: 20, availableTime: schedule.availableTime, planningHorizon: schedule.planningHorizon },
    ]);

    const window = { from: `${dateIn(1)}T00:00:00Z`, to: `${dateIn(15)}T00:00:00Z` };
    const offered = (await desk(SLOTS, { ...window, filter: { practitionerId: practitioner.id } })).data!.availableSlots;
    // 14 days, three 20-minute slots a day
    expect(offered).toHaveLength(14 * 3);
    expect(offered[0]).toMatchObject({ start: `${dateIn(1)}T10:00:00.000Z`, end: `${dateIn(1)}T10:20:00.000Z`, serviceType: 'dermatology', location: { id: location.id } });

    // A patient with no appointments, so no quota stands in the way.
    const booked = await column(seeded.db.appointments, 'SELECT DISTINCT patient_id FROM appointment');
    const [patientId] = await column(seeded.db.patients, 'SELECT id FROM patient WHERE NOT (id = ANY($1)) ORDER BY id LIMIT 1', [booked]);
    const answer = await desk(BOOK, { slotId: offered[1].id, patientId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.bookAppointment).toMatchObject({ status: 'BOOKED', slot: { id: offered[1].id }, practitioner: { id: practitioner.id } });
    const left = (await desk(SLOTS, { ...window, filter: { practitionerId: practitioner.id } })).data!.availableSlots;
    expect(left.map((slot: { id: string }) => slot.id)).not.toContain(offered[1].id);
  });

  it('saving the schedule again with shorter hours removes the free slots it no longer makes and keeps the booked one', async () => {
    const morning = { ...schedule, availableTime: [{ ...schedule.availableTime[0], end: '10:20' }] };
    expect((await admin(SAVE_SCHEDULE, { input: morning })).errors).toBeUndefined();
    const slots = await seeded.db.appointments.query<{ status: string; minute: string }>(
      `SELECT status, to_char(starts_at AT TIME ZONE 'UTC', 'HH24:MI') AS minute FROM slot WHERE schedule_id = $1`,
      [schedule.id],
    );
    expect(slots.filter((slot) => slot.minute === '10:00')).toHaveLength(14);
    expect(slots.filter((slot) => slot.minute !== '10:00')).toEqual([{ status: 'BUSY', minute: '10:20' }]);
  });

  it('refuses a schedule whose practitioner does not exist, whose hours hold no slot, or that overlaps another of the practitioner, by code', async () => {
    const unknown = await admin(SAVE_SCHEDULE, { input: { ...schedule, id: 'sched-other', practitionerId: 'prac-nobody' } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_REFERENCE', field: 'practitionerId' });
    const short = await admin(SAVE_SCHEDULE, { input: { ...schedule, id: 'sched-other', slotMinutes: 90 } });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE', field: 'availableTime' });
    const overlapping = await admin(SAVE_SCHEDULE, { input: { ...schedule, id: 'sched-other', availableTime: [{ daysOfWeek: ['MON'], start: '09:00', end: '10:40' }] } });
    expect(overlapping.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'SCHEDULE_OVERLAP', existingScheduleId: schedule.id });
    expect(await column(seeded.db.appointments, 'SELECT id FROM schedule WHERE id = $1', ['sched-other'])).toEqual([]);
  });

  it('adds a payer and a fee, and flags a payer that duplicates one already there', async () => {
    expect((await admin(SAVE_PAYER, { input: { id: 'pay-refdata', name: 'Tidewater Health Plan', identifier: 'TW-900' } })).data?.savePayer).toEqual({ id: 'pay-refdata', name: 'Tidewater Health Plan', identifier: 'TW-900' });
    expect((await admin(SAVE_FEE, { input: { code: '11300', description: 'Shaving of a skin lesion', amount: 85.5 } })).data?.saveFeeScheduleEntry).toEqual({ code: '11300', description: 'Shaving of a skin lesion', amount: { value: 85.5 } });

    const duplicate = await admin(SAVE_PAYER, { input: { id: 'pay-cascade', name: 'Cascade Health Insurance, Inc.' } });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE_PAYER', existingPayerId: 'pay-01' });
    const sameIdentifier = await admin(SAVE_PAYER, { input: { id: 'pay-tw', name: 'TW Plan', identifier: 'tw 900' } });
    expect(sameIdentifier.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE_PAYER', existingPayerId: 'pay-refdata' });
    expect(await column(seeded.db.billing, 'SELECT id FROM payer WHERE id = ANY($1)', [['pay-cascade', 'pay-tw']])).toEqual([]);
  });

  it('puts every change an administrator made on record, with who made it', async () => {
    const auditor = await seeded.as({ role: 'auditor' });
    const from = new Date(Date.now() - DAY).toISOString();
    const to = new Date(Date.now() + DAY).toISOString();
    const { data, errors } = await auditor(ACTIONS, { from, to });
    expect(errors).toBeUndefined();
    const done = (data!.actionTrail as Array<{ roles: string[]; actions: Array<{ action: string; target: string }> }>).flatMap((record) =>
      record.actions.map(({ action, target }) => `${record.roles.join(',')} ${action} ${target}`),
    );
    expect(done).toEqual(
      expect.arrayContaining([
        'admin savePractitioner prac-refdata',
        'admin saveLocation loc-refdata',
        'admin saveSchedule sched-refdata',
        'admin savePayer pay-refdata',
        'admin saveFeeScheduleEntry 11300',
      ]),
    );
    // Refused changes did nothing, and are not actions on record.
    expect(done.filter((entry) => entry.includes('sched-other') || entry.includes('pay-cascade'))).toEqual([]);
  });

  it('refuses every reference-data mutation to staff who are not administrators, and writes nothing', async () => {
    const attempts: Array<[string, Record<string, unknown>]> = [
      [SAVE_PRACTITIONER, { input: { ...practitioner, id: 'prac-intruder' } }],
      [SAVE_LOCATION, { input: { ...location, id: 'loc-intruder' } }],
      [SAVE_SCHEDULE, { input: { ...schedule, id: 'sched-intruder' } }],
      [SAVE_PAYER, { input: { id: 'pay-intruder', name: 'Intruder Plan' } }],
      [SAVE_FEE, { input: { code: '99999', description: 'Intruder fee', amount: 1 } }],
    ];
    for (const caller of [desk, clinician, scopedDesk]) {
      for (const [mutation, variables] of attempts) expect(codesOf(await caller(mutation, variables))).toEqual(['FORBIDDEN']);
    }
    expect(await column(seeded.db.appointments, `SELECT id FROM practitioner WHERE id = 'prac-intruder' UNION SELECT id FROM location WHERE id = 'loc-intruder' UNION SELECT id FROM schedule WHERE id = 'sched-intruder'`)).toEqual([]);
    expect(await column(seeded.db.billing, `SELECT id FROM payer WHERE id = 'pay-intruder' UNION SELECT code FROM fee_schedule WHERE code = '99999'`)).toEqual([]);
  });
});
