import type { Database, Queryable } from '../../platform/database/database.ts';
import { badInput } from '../../platform/errors.ts';
import { checkedRows, rejectionOf, type ImportReport, type ReferenceFile, type RowRejection } from '../../platform/reference-data/rows.ts';
import type { Schedule } from './model.ts';
import { ReferenceStore } from './reference-store.ts';
import { admitSchedule } from './schedule-overlap.ts';
import { validLocation, validPractitioner, validSchedule } from './reference-validation.ts';

const unknownReference = (field: 'practitionerId' | 'locationId', id: string) =>
  badInput(`${field} ${id} names no ${field === 'practitionerId' ? 'practitioner' : 'location'}`, { field, reason: 'UNKNOWN_REFERENCE' });

/** Throws UNKNOWN_REFERENCE when the schedule's practitioner or location does not exist. */
export async function requireReferences(store: ReferenceStore, schedule: Schedule): Promise<void> {
  if (!(await store.existing('practitioner', [schedule.practitionerId])).has(schedule.practitionerId)) throw unknownReference('practitionerId', schedule.practitionerId);
  if (!(await store.existing('location', [schedule.locationId])).has(schedule.locationId)) throw unknownReference('locationId', schedule.locationId);
}

/** The file's schedules whose practitioner and location exist (in the database, or written by the file just before). */
async function referencedSchedules(store: ReferenceStore, checked: Array<{ row: { line: number }; value: Schedule }>, rejected: RowRejection[]) {
  const practitioners = await store.existing('practitioner', checked.map(({ value }) => value.practitionerId));
  const locations = await store.existing('location', checked.map(({ value }) => value.locationId));
  return checked.filter(({ row, value }) => {
    const missing = !practitioners.has(value.practitionerId) ? 'practitionerId' : !locations.has(value.locationId) ? 'locationId' : null;
    if (!missing) return true;
    rejected.push(rejectionOf(row.line, 'Schedule', value.id, unknownReference(missing, missing === 'practitionerId' ? value.practitionerId : value.locationId)));
    return false;
  });
}

/**
 * The file's practitioners, locations and schedules, written by natural key in one transaction
 * (practitioners and locations first, so a schedule may name those of the same file), a few bulk
 * statements per type. A schedule that overlaps another of its practitioner is rejected (SCHEDULE_OVERLAP). Rows that break a rule are reported and left out; the others are written.
 * `today` starts the planning horizon of schedules that name none.
 */
export async function importSchedulingData(db: Database, file: ReferenceFile, today = new Date()): Promise<ImportReport> {
  return db.transaction(async (tx: Queryable) => {
    const store = new ReferenceStore(tx);
    const keyOf = (input: Record<string, unknown>) => input.id;
    const practitioners = checkedRows(file.rows, ['Practitioner'], keyOf, (row) => validPractitioner(row.input));
    const locations = checkedRows(file.rows, ['Location'], keyOf, (row) => validLocation(row.input));
    const schedules = checkedRows(file.rows, ['Schedule'], keyOf, (row) => validSchedule(row.input, today));
    const rejected = [...practitioners.rejected, ...locations.rejected, ...schedules.rejected];
    await store.savePractitioners(practitioners.valid.map(({ value }) => value));
    await store.saveLocations(locations.valid.map(({ value }) => value));
    const referenced = await referencedSchedules(store, schedules.valid, rejected);
    const known = await store.lockedSchedulesOf(referenced.map(({ value }) => value.practitionerId));
    const admitted = referenced.filter(({ row, value }) => {
      try {
        return admitSchedule(value, known);
      } catch (error) {
        rejected.push(rejectionOf(row.line, 'Schedule', value.id, error));
        return false;
      }
    });
    await store.saveSchedules(admitted.map(({ value }) => value));
    return { accepted: practitioners.valid.length + locations.valid.length + admitted.length, rejected: rejected.sort((a, b) => a.line - b.line) };
  });
}
