import type { Queryable, Row } from '../../platform/database/database.ts';
import { newId } from '../../platform/ids.ts';
import { patientRows, type RowScope } from '../../platform/subgraph/row-scope.ts';
import type { Appointment, AppointmentCriteria, AppointmentStatus, Slot } from './model.ts';
import { toSlotTime } from './scheduling-store.ts';

const toAppointment = (row: Row): Appointment => ({
  id: row.id as string,
  slotId: row.slot_id as string,
  patientId: row.patient_id as string,
  ...toSlotTime(row),
  reason: (row.reason as string | null) ?? null,
  status: row.status as AppointmentStatus,
  cancellationReason: (row.cancellation_reason as string | null) ?? null,
  bookedAt: row.booked_at as Date,
});

/** Every status but BOOKED is reached by a status change, and records when. */
export type StatusChange = Exclude<AppointmentStatus, 'BOOKED'>;

const reachedAt: Record<StatusChange, string> = {
  CONFIRMED: 'confirmed_at',
  ARRIVED: 'arrived_at',
  FULFILLED: 'fulfilled_at',
  CANCELLED: 'cancelled_at',
  NOSHOW: 'no_show_at',
};

/** The unique index that refuses a second live appointment on one slot. */
export const ACTIVE_SLOT_INDEX = 'appointment_active_slot';

export type AppointmentOrder = 'in time order' | 'newest first';

/**
 * A payer's members are in payer_coverage, projected from the patients subgraph's coverages: it
 * sees the appointments of patients it covers today, dated within that coverage.
 */
const appointmentRows = patientRows('appointment.patient_id', 'payer_coverage', "(appointment.starts_at AT TIME ZONE 'UTC')::date");

/** SQL for appointments; the slot they hold is the SchedulingStore's. Reads and locks keep to `scope`'s rows and note whose they were. */
export class AppointmentStore {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
  ) {}

  /** Appointments by id, within the scope; those looked up and kept from the caller are noted as refused. */
  async appointmentsByIds(ids: readonly string[]): Promise<Appointment[]> {
    return this.selectById(ids, '');
  }

  /** Whether the scope reaches this patient's appointments today: whom a caller may book for. */
  async patientInScope(patientId: string): Promise<boolean> {
    const params: unknown[] = [patientId];
    const reached = this.scope.condition(patientRows('candidate.patient_id', 'payer_coverage', 'current_date'), params);
    return (await this.db.query(`SELECT 1 FROM (SELECT $1::text AS patient_id) candidate WHERE ${reached}`, params)).length > 0;
  }

  /** An empty status list does not filter, like an absent one. */
  async find(criteria: AppointmentCriteria, order: AppointmentOrder, limit?: number): Promise<Appointment[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const conditions: string[] = [];
    if (criteria.patientIds) conditions.push(`patient_id = ANY(${param(criteria.patientIds)})`);
    if (criteria.practitionerIds) conditions.push(`practitioner_id = ANY(${param(criteria.practitionerIds)})`);
    if (criteria.statuses?.length) conditions.push(`status = ANY(${param(criteria.statuses)})`);
    if (criteria.from) conditions.push(`starts_at >= ${param(criteria.from)}`);
    if (criteria.to) conditions.push(`starts_at < ${param(criteria.to)}`);
    conditions.push(this.scope.condition(appointmentRows, params));
    const sql = `SELECT * FROM appointment WHERE ${conditions.join(' AND ')}
      ORDER BY ${order === 'newest first' ? 'starts_at DESC, id DESC' : 'starts_at, id'}
      ${limit === undefined ? '' : `LIMIT ${param(limit)}`}`;
    return this.scope.released(await this.db.query(sql, params), (row) => row.patient_id as string).map(toAppointment);
  }

  /** Reads the appointment and locks it until the transaction ends, so status changes queue up. */
  async lockById(id: string): Promise<Appointment | null> {
    const [appointment] = await this.selectById([id], 'FOR UPDATE');
    return appointment ?? null;
  }

  private async selectById(ids: readonly string[], lock: '' | 'FOR UPDATE'): Promise<Appointment[]> {
    const params: unknown[] = [ids];
    const rows = await this.db.query(`SELECT * FROM appointment WHERE id = ANY($1) AND ${this.scope.condition(appointmentRows, params)} ${lock}`, params);
    if (rows.length < ids.length && this.scope.hidesRows) {
      const found = new Set(rows.map((row) => row.id));
      const hidden = await this.db.query('SELECT patient_id FROM appointment WHERE id = ANY($1)', [ids.filter((id) => !found.has(id))]);
      this.scope.refused(hidden.map((row) => row.patient_id as string));
    }
    return this.scope.released(rows, (row) => row.patient_id as string).map(toAppointment);
  }

  /**
   * The patient's appointments still to come (booked or confirmed), counted under a lock on the patient's
   * bookings held to the end of the transaction, so two bookings at once count each other. Not released:
   * only the quota's answer leaves.
   */
  async lockedOpenCount(patientId: string): Promise<number> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`open-appointments:${patientId}`]);
    const params: unknown[] = [patientId];
    const [row] = await this.db.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM appointment
       WHERE patient_id = $1 AND status IN ('BOOKED', 'CONFIRMED') AND starts_at > now() AND ${this.scope.condition(appointmentRows, params)}`,
      params,
    );
    return row!.open;
  }

  async book(slot: Slot, patientId: string, reason: string | null, id = newId('apt')): Promise<string> {
    await this.db.query(
      `INSERT INTO appointment (id, slot_id, patient_id, practitioner_id, location_id, starts_at, ends_at, service_type, reason, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'BOOKED')`,
      [id, slot.id, patientId, slot.practitionerId, slot.locationId, slot.start, slot.end, slot.serviceType, reason],
    );
    return id;
  }

  async changeStatus(id: string, status: StatusChange, cancellationReason: string | null = null): Promise<Appointment> {
    const [row] = await this.db.query(
      `UPDATE appointment SET status = $2, ${reachedAt[status]} = now(), cancellation_reason = COALESCE($3, cancellation_reason)
       WHERE id = $1 RETURNING *`,
      [id, status, cancellationReason],
    );
    return toAppointment(row!);
  }

  /** A rescheduled appointment holds the new slot and is BOOKED again, to be confirmed anew. */
  async moveTo(id: string, slot: Slot): Promise<Appointment> {
    const [row] = await this.db.query(
      `UPDATE appointment SET slot_id = $2, practitioner_id = $3, location_id = $4, starts_at = $5, ends_at = $6, service_type = $7,
         status = 'BOOKED', confirmed_at = NULL
       WHERE id = $1 RETURNING *`,
      [id, slot.id, slot.practitionerId, slot.locationId, slot.start, slot.end, slot.serviceType],
    );
    return toAppointment(row!);
  }
}
