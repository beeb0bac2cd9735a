import { conflict } from '../../platform/errors.ts';
import { periodsOverlap } from '../../platform/reference-data/available-time.ts';
import type { Schedule } from './model.ts';

/** Two schedules of one practitioner that would open the same minute: their horizons meet and their weekly hours too. */
export const schedulesOverlap = (a: Schedule, b: Schedule) =>
  a.id !== b.id &&
  a.practitionerId === b.practitionerId &&
  a.planningHorizon.start < b.planningHorizon.end &&
  b.planningHorizon.start < a.planningHorizon.end &&
  a.availableTime.some((period) => b.availableTime.some((other) => periodsOverlap(period, other)));

/**
 * Keeps `schedule` to be written unless it overlaps another schedule of its practitioner (of the
 * database, or written before it: `known`, by id, which it then joins): a practitioner is in one place
 * at a time, and overlapping slots would let two patients book the same minutes. Then CONFLICT
 * SCHEDULE_OVERLAP. The same id is the same schedule, being changed.
 */
export function admitSchedule(schedule: Schedule, known: Map<string, Schedule>): Schedule {
  const existing = [...known.values()].find((other) => schedulesOverlap(schedule, other));
  if (existing) {
    throw conflict('SCHEDULE_OVERLAP', `Schedule ${schedule.id} overlaps schedule ${existing.id} of the same practitioner`, { existingScheduleId: existing.id, field: 'availableTime' });
  }
  known.set(schedule.id, schedule);
  return schedule;
}
