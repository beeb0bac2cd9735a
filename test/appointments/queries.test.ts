import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { codesOf } from '../support/graphql.ts';
import { anchorDate, anchorDay, ANCHOR, FUTURE, startSeededAppointments, type SeededAppointments } from './harness.ts';

const AVAILABLE = /* GraphQL */ `
  query Available($filter: SlotFilter, $from: DateTime!, $to: DateTime!, $first: Int) {
    availableSlots(filter: $filter, from: $from, to: $to, first: $first) {
      id start end status serviceType practitioner { id specialty } location { id }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query Entities($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Appointment { id status start practitioner { name { text } } location { name city } slot { id status } patient { id } }
      ... on Patient { id appointments(status: [FULFILLED, NOSHOW], from: "${anchorDay(-14)}", to: "${anchorDay(0)}") { id status start patient { id } } }
      ... on Practitioner { id schedule(date: "${anchorDate(-5)}") { id status start practitioner { id } } }
    }
  }
`;
const APPOINTMENTS = 'query($filter: AppointmentFilter!, $first: Int) { appointments(filter: $filter, first: $first) { id status start patient { id } practitioner { id } } }';

type Slot = { id: string; start: string; end: string; status: string; serviceType: string; practitioner: { id: string; specialty: string }; location: { id: string } };
const starts = (items: Array<{ start: string }>) => items.map((item) => item.start);
const sorted = (values: string[], descending = false) => [...values].sort((a, b) => (descending ? b.localeCompare(a) : a.localeCompare(b)));
const refs = (typename: string, ids: string[]) => ids.map((id) => ({ __typename: typename, id }));
/** Tuesday of the week after the anchor's, at `hour` UTC: always ahead. */
const nextTuesday = (hour: number) => new Date(Date.parse(anchorDay(8)) + hour * 3_600_000).toISOString();

describe.each(databaseEngines)('appointment queries on $engine', ({ url }) => {
  let service: SeededAppointments;

  const available = async (variables: Record<string, unknown>) => (await service.call(AVAILABLE, { ...FUTURE, ...variables })).data!.availableSlots as Slot[];
  /** Statements the subgraph sent to answer one call. */
  async function statementsFor(query: string, variables: Record<string, unknown>) {
    const before = service.subgraph.database.statementCount;
    const response = await service.call(query, variables);
    expect(response.errors).toBeUndefined();
    return { response, statements: service.subgraph.database.statementCount - before };
  }

  beforeAll(async () => {
    service = await startSeededAppointments(url);
  });
  afterAll(() => service?.close());

  it('lists free slots starting in [from, to), in time order, 50 unless told', async () => {
    const [from, to] = [nextTuesday(9), nextTuesday(12)];
    const slots = await available({ from, to, first: 200 });
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(slot.status).toBe('FREE');
      expect(slot.start >= from && slot.start < to).toBe(true);
      expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(30 * 60_000);
    }
    expect(starts(slots)).toEqual(sorted(starts(slots)));
    expect(await available({ first: undefined })).toHaveLength(50);
    expect(await available({ first: 7 })).toHaveLength(7);
  });

  it('offers no slot that has already started, even in a window reaching into the past', async () => {
    const now = Date.now();
    const slots = await available({ from: new Date(now - 14 * 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString(), first: 200 });
    const started = slots.filter((slot) => Date.parse(slot.start) <= Date.now());
    expect(started).toEqual([]);
  });

  it('filters free slots by practitioner, location and service type', async () => {
    const ofPractitioner = await available({ filter: { practitionerId: 'prac-05' }, first: 200 });
    expect(ofPractitioner.length).toBeGreaterThan(0);
    expect(ofPractitioner.every((slot) => slot.practitioner.id === 'prac-05' && slot.serviceType === 'cardiology')).toBe(true);
    const atLocation = await available({ filter: { locationId: 'loc-02' }, first: 200 });
    expect(new Set(atLocation.map((slot) => slot.location.id))).toEqual(new Set(['loc-02']));
    const dermatology = await available({ filter: { serviceType: 'dermatology' }, first: 200 });
    expect(new Set(dermatology.map((slot) => slot.practitioner.id))).toEqual(new Set(['prac-07', 'prac-08']));
    const both = await available({ filter: { serviceType: 'dermatology', locationId: 'loc-03' }, first: 200 });
    expect(new Set(both.map((slot) => slot.practitioner.id))).toEqual(new Set(['prac-07']));
    expect(await available({ filter: { serviceType: 'astrology' } })).toEqual([]);
  });

  it('lists the care team and sites; unknown ids are null', async () => {
    const { data, errors } = await service.call(
      '{ practitioners { id specialty name { family given text } } locations { id name city } practitioner(id: "prac-404") { id } appointment(id: "apt-404") { id } }',
    );
    expect(errors).toBeUndefined();
    expect(data!.practitioners.map((p: { id: string }) => p.id)).toEqual(Array.from({ length: 12 }, (_, n) => `prac-${String(n + 1).padStart(2, '0')}`));
    const [first] = data!.practitioners;
    expect(first.name.text).toBe(`${first.name.given.join(' ')} ${first.name.family}`);
    expect(data!.locations.map((l: { id: string }) => l.id)).toEqual(['loc-01', 'loc-02', 'loc-03', 'loc-04']);
    expect(data!.practitioner).toBeNull();
    expect(data!.appointment).toBeNull();
  });

  it('finds appointments by patient, practitioner, status and window, in time order', async () => {
    const { data } = await service.call(APPOINTMENTS, { filter: { patientId: 'pat-0002' }, first: 200 });
    const mine = data!.appointments;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a: { patient: { id: string } }) => a.patient.id === 'pat-0002')).toBe(true);
    expect(starts(mine)).toEqual(sorted(starts(mine)));
    // Monday to Friday of the week before the anchor's: the seeded past.
    const filter = { practitionerId: 'prac-03', status: ['FULFILLED'], from: anchorDay(-7), to: anchorDay(-2) };
    const week = (await service.call(APPOINTMENTS, { filter, first: 200 })).data!.appointments;
    expect(week.length).toBeGreaterThan(0);
    for (const appointment of week) {
      expect(appointment).toMatchObject({ status: 'FULFILLED', practitioner: { id: 'prac-03' } });
      expect(appointment.start >= filter.from && appointment.start < filter.to).toBe(true);
    }
    expect((await service.call(APPOINTMENTS, { filter: { patientId: 'pat-0002' }, first: 2 })).data!.appointments).toHaveLength(2);
  });

  it('resolves 50 Appointment references with practitioner, location and slot in a bounded number of statements', async () => {
    const { data } = await service.call(APPOINTMENTS, { filter: { from: anchorDay(-14) }, first: 50 });
    const ids: string[] = data!.appointments.map((a: { id: string }) => a.id);
    const few = await statementsFor(ENTITIES, { reps: refs('Appointment', ids.slice(0, 5)) });
    const many = await statementsFor(ENTITIES, { reps: [...refs('Appointment', ids), { __typename: 'Appointment', id: 'apt-404' }] });
    // appointments, practitioners, locations, slots: at most one each, however many references;
    // practitioners and locations read once are kept across requests (reference data).
    expect(many.statements).toBeLessThanOrEqual(4);
    expect(few.statements).toBeLessThanOrEqual(4);
    expect((await statementsFor(ENTITIES, { reps: refs('Appointment', ids) })).statements).toBe(2);
    const entities = many.response.data!._entities;
    expect(entities).toHaveLength(51);
    expect(entities.at(-1)).toBeNull();
    expect(entities.slice(0, 50).map((a: { id: string }) => a.id)).toEqual(ids);
    for (const appointment of entities.slice(0, 50)) {
      expect(appointment.practitioner.name.text).toMatch(/\w+ \w+/);
      expect(appointment.slot.status).toBe(appointment.status === 'CANCELLED' ? 'FREE' : 'BUSY');
      expect(appointment.patient.id).toMatch(/^pat-/);
    }
  });

  it('resolves Slot, Location and unknown references; a missing one is null', async () => {
    const start = nextTuesday(9);
    const slotId = `slot-prac-01-${start.slice(0, 16)}`;
    const reps = [{ __typename: 'Slot', id: slotId }, { __typename: 'Location', id: 'loc-04' }, { __typename: 'Slot', id: 'slot-404' }];
    const { data, errors } = await service.call(
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Slot { id start end practitioner { id } location { id } } ... on Location { name city } } }',
      { reps },
    );
    expect(errors).toBeUndefined();
    expect(data!._entities).toEqual([
      { id: slotId, start, end: nextTuesday(9.5), practitioner: { id: 'prac-01' }, location: { id: 'loc-01' } },
      { name: 'Hillcrest Family Practice', city: 'Austin' },
      null,
    ]);
  });

  it("lists patients' appointments newest first, filtered, in one statement for many patients", async () => {
    const patientIds = ['pat-0001', 'pat-0002', 'pat-0003', 'pat-0004', 'pat-0005', 'pat-0404'];
    const { response, statements } = await statementsFor(ENTITIES, { reps: refs('Patient', patientIds) });
    expect(statements).toBe(1);
    const patients = response.data!._entities;
    expect(patients.at(-1)).toEqual({ id: 'pat-0404', appointments: [] });
    for (const patient of patients.slice(0, 5)) {
      expect(patient.appointments.length).toBeGreaterThan(0);
      expect(starts(patient.appointments)).toEqual(sorted(starts(patient.appointments), true));
      for (const appointment of patient.appointments) {
        expect(['FULFILLED', 'NOSHOW']).toContain(appointment.status);
        expect(appointment.patient.id).toBe(patient.id);
        expect(appointment.start < ANCHOR.toISOString()).toBe(true);
      }
    }
  });

  it("gives each practitioner's day schedule in time order, without cancelled appointments, in one statement for all", async () => {
    const practitionerIds = ['prac-01', 'prac-02', 'prac-03', 'prac-04', 'prac-05', 'prac-06'];
    const first = await statementsFor(ENTITIES, { reps: refs('Practitioner', practitionerIds) });
    // the practitioners (unless a request read them already), then every schedule at once
    expect(first.statements).toBeLessThanOrEqual(2);
    const { response, statements } = await statementsFor(ENTITIES, { reps: refs('Practitioner', practitionerIds) });
    expect(statements).toBe(1);
    for (const practitioner of response.data!._entities) {
      const day = practitioner.schedule;
      expect(day.length).toBeGreaterThan(0);
      expect(starts(day)).toEqual(sorted(starts(day)));
      for (const appointment of day) {
        expect(appointment.start.slice(0, 10)).toBe(anchorDate(-5));
        expect(appointment.status).not.toBe('CANCELLED');
        expect(appointment.practitioner.id).toBe(practitioner.id);
      }
    }
  });

  it.each([
    ['to before from', AVAILABLE, { from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' }],
    ['a 90-day window', AVAILABLE, { from: '2026-11-01T00:00:00Z', to: '2027-01-30T00:00:00Z' }],
    ['first: 0', AVAILABLE, { ...FUTURE, first: 0 }],
    ['first: 201', AVAILABLE, { ...FUTURE, first: 201 }],
    ['a DateTime without a time zone', AVAILABLE, { from: '2026-11-24T09:00:00', to: '2026-11-25T00:00:00Z' }],
    ['appointments to before from', APPOINTMENTS, { filter: { from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' } }],
    ['appointments first: 0', APPOINTMENTS, { filter: {}, first: 0 }],
    [
      'Patient.appointments to before from',
      '{ _entities(representations: [{ __typename: "Patient", id: "pat-0001" }]) { ... on Patient { appointments(from: "2026-11-25T00:00:00Z", to: "2026-11-24T00:00:00Z") { id } } } }',
      {},
    ],
    ['a schedule date that is no date', 'query($date: Date!) { practitioner(id: "prac-01") { schedule(date: $date) { id } } }', { date: '2026-02-30' }],
  ])('answers %s with BAD_USER_INPUT', async (_case, query, variables) => {
    const response = await service.call(query, variables);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });
});
