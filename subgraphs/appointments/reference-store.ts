import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Queryable, Row } from '../../platform/database/database.ts';
import type { Location, Practitioner, Schedule } from './model.ts';
import { slotsOfSchedule } from './slot-generation.ts';

/** `ON CONFLICT (key) DO UPDATE` of every other column: a row written again says what it says now. */
const upsert = (key: string, columns: readonly string[]) =>
  `ON CONFLICT (${key}) DO UPDATE SET ${columns.filter((column) => column !== key).map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`;

const PRACTITIONER = ['id', 'family_name', 'given_names', 'specialty'];
const LOCATION = ['id', 'name', 'city'];
const SCHEDULE = ['id', 'practitioner_id', 'location_id', 'service_type', 'slot_minutes', 'available_time', 'horizon_start', 'horizon_end'];
const SLOT = ['id', 'schedule_id', 'practitioner_id', 'location_id', 'service_type', 'starts_at', 'ends_at', 'status'];

/**
 * Writes the scheduling reference data by natural key (an admin's one record, or a file's rows in
 * bulk): a record written twice is updated, never doubled. Reference data holds no patient's rows.
 */
export class ReferenceStore {
  constructor(private readonly db: Queryable) {}

  async savePractitioners(practitioners: readonly Practitioner[]): Promise<void> {
    const rows = practitioners.map(({ id, name, specialty }) => [id, name.family, name.given, specialty]);
    if (rows.length > 0) await insertRows(this.db, 'practitioner', PRACTITIONER, rows, upsert('id', PRACTITIONER));
  }

  async saveLocations(locations: readonly Location[]): Promise<void> {
    const rows = locations.map(({ id, name, city }) => [id, name, city]);
    if (rows.length > 0) await insertRows(this.db, 'location', LOCATION, rows, upsert('id', LOCATION));
  }

  /** Of the ids given, those of existing rows of `table` (practitioner or location). */
  async existing(table: 'practitioner' | 'location', ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1)`, [[...new Set(ids)]]);
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Saves the schedules and brings their slots in line with them: the slots they generate that are
   * missing are added FREE (a practitioner's slot at that instant, already there, is kept as it is),
   * and free slots still to come that a schedule no longer generates are removed, unless an
   * appointment (a cancelled one too) points to them. Slots that have started are history and stay.
   */
  async saveSchedules(schedules: readonly Schedule[]): Promise<void> {
    if (schedules.length === 0) return;
    const rows = schedules.map((s) => [s.id, s.practitionerId, s.locationId, s.serviceType, s.slotMinutes, JSON.stringify(s.availableTime), s.planningHorizon.start, s.planningHorizon.end]);
    await insertRows(this.db, 'schedule', SCHEDULE, rows, upsert('id', SCHEDULE));
    const slots = schedules.flatMap((schedule) => [...slotsOfSchedule(schedule)]);
    await insertRows(
      this.db,
      'slot',
      SLOT,
      slots.map((slot) => [slot.id, slot.scheduleId, slot.practitionerId, slot.locationId, slot.serviceType, slot.start, slot.end, 'FREE']),
      'ON CONFLICT (id) DO NOTHING',
    );
    await this.db.query(
      `DELETE FROM slot WHERE schedule_id = ANY($1) AND status = 'FREE' AND starts_at > now() AND NOT (id = ANY($2))
         AND NOT EXISTS (SELECT 1 FROM appointment WHERE appointment.slot_id = slot.id)`,
      [schedules.map((schedule) => schedule.id), slots.map((slot) => slot.id)],
    );
  }

  /** The schedules of these practitioners, by id order. */
  async schedulesOf(practitionerIds: readonly string[]): Promise<Schedule[]> {
    return (await this.db.query('SELECT * FROM schedule WHERE practitioner_id = ANY($1) ORDER BY id', [[...new Set(practitionerIds)]])).map(toSchedule);
  }

  /**
   * The schedules of these practitioners, by id, locked against other writers of schedules until the
   * transaction ends (readers go on), so two administrators cannot each add one of two overlapping schedules.
   */
  async lockedSchedulesOf(practitionerIds: readonly string[]): Promise<Map<string, Schedule>> {
    await this.db.query('LOCK TABLE schedule IN SHARE ROW EXCLUSIVE MODE');
    return new Map((await this.schedulesOf(practitionerIds)).map((schedule) => [schedule.id, schedule]));
  }
}

const toSchedule = (row: Row): Schedule => ({
  id: row.id as string,
  practitionerId: row.practitioner_id as string,
  locationId: row.location_id as string,
  serviceType: row.service_type as string,
  slotMinutes: row.slot_minutes as number,
  availableTime: row.available_time as Schedule['availableTime'],
  planningHorizon: { start: row.horizon_start as string, end: row.horizon_end as string },
});
