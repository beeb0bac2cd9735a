import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Database, Queryable } from '../../platform/database/database.ts';
import { SeededRandom } from '../../platform/demo/random.ts';
import { demoReferenceData } from '../../platform/demo/reference-data.ts';
import { importSchedulingData } from './reference-import.ts';
import type { AppointmentStatus } from './model.ts';
import type { CoverageNotice } from '../../platform/events/catalog.ts';
import { recordCoverages } from './payer-members.ts';

/** Monday 00:00 UTC of the current week: demo appointments sit two weeks either side of it. */
export function demoAnchor(today = new Date()): Date {
  const anchor = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  anchor.setUTCDate(anchor.getUTCDate() - ((anchor.getUTCDay() + 6) % 7));
  return anchor;
}

export interface SeedOptions {
  patientIds: string[];
  /** The patients seed's coverages: who each payer's members are and when, for its row rule. */
  coverages?: readonly CoverageNotice[];
  /** A Monday 00:00 UTC: slots run from two weeks before it to two weeks after; before it is the past. */
  anchor: Date;
  random?: SeededRandom;
}

/** An encounter that took place, for billing to charge. */
export interface Encounter {
  appointmentId: string;
  patientId: string;
  serviceType: string;
  completedAt: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const REASONS = ['Routine check-up', 'Follow-up visit', 'New symptoms', 'Test results review', 'Prescription renewal'];
const CANCELLATION_REASONS = ['Patient request', 'Feeling better', 'Schedule conflict'];

const at = (time: number) => new Date(time);

interface DemoSlot {
  id: string;
  start: Date;
  end: Date;
}

/** About half the past slots were booked, mostly seen; about a third of the future ones are booked. */
function outcome(random: SeededRandom, past: boolean): AppointmentStatus | null {
  if (past) {
    if (!random.chance(0.5)) return null;
    const roll = random.next();
    return roll < 0.06 ? 'NOSHOW' : roll < 0.14 ? 'CANCELLED' : 'FULFILLED';
  }
  if (!random.chance(1 / 3)) return null;
  return random.chance(0.5) ? 'CONFIRMED' : 'BOOKED';
}

/** One appointment row; its status timestamps follow the status it ended in. */
function appointmentRecord(random: SeededRandom, slot: DemoSlot, past: boolean, anchor: Date, status: AppointmentStatus) {
  const { id, start, end } = slot;
  const bookedAt = past ? at(start.getTime() - random.int(2, 21) * DAY) : at(anchor.getTime() - random.int(1, 14) * DAY);
  const seen = status === 'FULFILLED';
  const cancelledAt = status === 'CANCELLED' ? at(start.getTime() - random.int(1, 24) * HOUR) : null;
  return {
    id: `apt-${id.slice('slot-'.length)}`,
    slot_id: id,
    starts_at: start,
    ends_at: end,
    reason: random.chance(0.8) ? random.pick(REASONS) : null,
    status,
    cancellation_reason: cancelledAt && random.pick(CANCELLATION_REASONS),
    booked_at: bookedAt,
    confirmed_at: status === 'BOOKED' || status === 'CANCELLED' ? null : at(bookedAt.getTime() + HOUR),
    arrived_at: seen ? at(start.getTime() - 10 * MINUTE) : null,
    fulfilled_at: seen ? end : null,
    cancelled_at: cancelledAt,
    no_show_at: status === 'NOSHOW' ? end : null,
  };
}

/** insertRows for records keyed by column name. */
async function insertRecords(tx: Queryable, table: string, records: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const columns = Object.keys(records[0] ?? {});
  await insertRows(tx, table, columns, records.map((record) => columns.map((column) => record[column])));
}

/** Every appointment as billing hears of it: booked, or how it ended. */
export interface BookedAppointment {
  appointmentId: string;
  patientId: string;
  status: 'BOOKED' | 'FULFILLED' | 'CANCELLED' | 'NOSHOW';
}

interface Seeded {
  appointments: BookedAppointment[];
  /** The fulfilled ones, in the order they ended. */
  encounters: Encounter[];
}

/** What the seeded (or earlier) schedules hold, in one statement. */
async function seeded(db: Queryable): Promise<Seeded> {
  const rows = await db.query<{ id: string; patient_id: string; status: string; service_type: string; fulfilled_at: Date | null }>(
    'SELECT id, patient_id, status, service_type, fulfilled_at FROM appointment ORDER BY fulfilled_at NULLS LAST, id',
  );
  const booked = (status: string) => (status === 'CONFIRMED' || status === 'ARRIVED' ? 'BOOKED' : status) as BookedAppointment['status'];
  return {
    appointments: rows.map((row) => ({ appointmentId: row.id, patientId: row.patient_id, status: booked(row.status) })),
    encounters: rows
      .filter((row) => row.status === 'FULFILLED')
      .map((row) => ({ appointmentId: row.id, patientId: row.patient_id, serviceType: row.service_type, completedAt: row.fulfilled_at! })),
  };
}

/**
 * A month of schedules for the demo organisation, the same on every start for the same anchor and
 * patients. Leaves the schedules alone when the tables already hold data (payers' memberships are
 * still added); either way answers the encounters that took place, in the order they ended.
 */
export async function seedAppointments(
  db: Database,
  { patientIds, coverages = [], anchor, random = new SeededRandom(20261123) }: SeedOptions,
): Promise<Seeded> {
  // Before the early return: coverages are recorded idempotently, and a database seeded before they existed gets them too.
  await recordCoverages(db, coverages);
  if ((await db.query('SELECT 1 FROM practitioner LIMIT 1')).length > 0) return seeded(db);
  // The schedules name no planning horizon: theirs starts on the day given, two weeks before the anchor, for four weeks.
  const report = await importSchedulingData(db, demoReferenceData(), at(anchor.getTime() - 14 * DAY));
  if (report.rejected.length > 0) throw new Error(`the demo reference data has rows the import rejects (line ${report.rejected[0]!.line})`);
  const slots = await db.query<{ id: string; practitioner_id: string; location_id: string; service_type: string; starts_at: Date; ends_at: Date }>(
    'SELECT id, practitioner_id, location_id, service_type, starts_at, ends_at FROM slot ORDER BY practitioner_id, starts_at',
  );
  const busy: string[] = [];
  const appointments: Array<Record<string, unknown>> = [];
  for (const { id, starts_at: start, ends_at: end, ...held } of slots) {
    const past = start < anchor;
    const status = patientIds.length > 0 ? outcome(random, past) : null;
    if (!status) continue;
    if (status !== 'CANCELLED') busy.push(id);
    appointments.push({ ...appointmentRecord(random, { id, start, end }, past, anchor, status), ...held, patient_id: random.pick(patientIds) });
  }
  await db.transaction(async (tx) => {
    await insertRecords(tx, 'appointment', appointments);
    await tx.query(`UPDATE slot SET status = 'BUSY' WHERE id = ANY($1)`, [busy]);
  });
  return seeded(db);
}
