import type { Queryable } from '../../platform/database/database.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';

/** What billing knows of an appointment: booked, or how it ended. */
export type AppointmentOutcome = 'BOOKED' | 'FULFILLED' | 'CANCELLED' | 'NOSHOW';

export interface AppointmentNotice {
  appointmentId: string;
  patientId: string;
  status: AppointmentOutcome;
}

/**
 * Records what billing heard of appointments. Consumer groups hear event types independently, so
 * an appointment's booking may arrive after its completion: only a BOOKED row changes, an outcome
 * is final.
 */
export async function noteAppointments(db: Queryable, notices: readonly AppointmentNotice[]): Promise<void> {
  if (notices.length === 0) return;
  await db.query(
    `INSERT INTO billable_appointment (appointment_id, patient_id, status)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (appointment_id) DO UPDATE SET status = EXCLUDED.status, noted_at = now() WHERE billable_appointment.status = 'BOOKED'`,
    [notices.map((notice) => notice.appointmentId), notices.map((notice) => notice.patientId), notices.map((notice) => notice.status)],
  );
}

/**
 * Checks that charges for `patientId` may be captured on `appointmentId`: billing knows the
 * appointment (NOT_FOUND otherwise, also when it is outside the caller's rows), it is that
 * patient's, and its encounter took place.
 */
export async function requireCompletedEncounter(db: Queryable, scope: RowScope, appointmentId: string, patientId: string): Promise<void> {
  const params: unknown[] = [appointmentId];
  const visible = scope.condition({ patient: (id) => `patient_id = ${id}` }, params);
  const rows = await db.query<{ patient_id: string; status: AppointmentOutcome }>(
    `SELECT patient_id, status FROM billable_appointment WHERE appointment_id = $1 AND ${visible}`,
    params,
  );
  const [appointment] = scope.released(rows, (row) => row.patient_id);
  if (!appointment) throw notFound('Appointment', appointmentId);
  if (appointment.patient_id !== patientId) {
    throw conflict('APPOINTMENT_OF_ANOTHER_PATIENT', `Appointment ${appointmentId} is not an appointment of patient ${patientId}`);
  }
  if (appointment.status !== 'FULFILLED') {
    throw conflict('ENCOUNTER_NOT_COMPLETED', `The encounter of appointment ${appointmentId} has not been completed`, { status: appointment.status });
  }
}
