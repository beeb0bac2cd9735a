import { DAYS_OF_WEEK, minuteOfDay } from '../../platform/reference-data/available-time.ts';
import type { Schedule } from './model.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

export interface GeneratedSlot {
  id: string;
  scheduleId: string;
  practitionerId: string;
  locationId: string;
  serviceType: string;
  start: Date;
  end: Date;
}

/**
 * A slot's id says whose time it is and when (`slot-prac-01-2026-11-24T09:30`): a practitioner has
 * one slot at a time, so two schedules of the same practitioner never make two slots at one instant.
 */
export const slotIdOf = (practitionerId: string, start: Date) => `slot-${practitionerId}-${start.toISOString().slice(0, 16)}`;

/**
 * Every slot of the schedule over its planning horizon, in time order: on each day of the horizon
 * whose weekday a period names, back-to-back slots of `slotMinutes` from the period's start, the last
 * ending by the period's end (UTC).
 */
export function* slotsOfSchedule(schedule: Schedule): Generator<GeneratedSlot> {
  const { id: scheduleId, practitionerId, locationId, serviceType, slotMinutes } = schedule;
  const last = Date.parse(`${schedule.planningHorizon.end}T00:00:00Z`);
  for (let day = Date.parse(`${schedule.planningHorizon.start}T00:00:00Z`); day < last; day += DAY) {
    const weekday = DAYS_OF_WEEK[(new Date(day).getUTCDay() + 6) % 7]!;
    const starts = schedule.availableTime
      .filter((period) => period.daysOfWeek.includes(weekday))
      .flatMap((period) => {
        const minutes: number[] = [];
        for (let minute = minuteOfDay(period.start); minute + slotMinutes <= minuteOfDay(period.end); minute += slotMinutes) minutes.push(minute);
        return minutes;
      });
    for (const minute of [...new Set(starts)].sort((a, b) => a - b)) {
      const start = new Date(day + minute * MINUTE);
      yield { id: slotIdOf(practitionerId, start), scheduleId, practitionerId, locationId, serviceType, start, end: new Date(start.getTime() + slotMinutes * MINUTE) };
    }
  }
}
