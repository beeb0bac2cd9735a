import { badInput } from '../../platform/errors.ts';
import { DAYS_OF_WEEK, minuteOfDay, periodsOverlap, type AvailableTime, type DayOfWeek } from '../../platform/reference-data/available-time.ts';
import { date, integer, key, text, textList } from '../../platform/reference-data/fields.ts';
import { fieldLimits } from '../../policies/input-limits.ts';
import type { Location, Practitioner, Schedule } from './model.ts';

/**
 * The rules of the scheduling reference data, the same for an admin's mutation and a file's row.
 * Inputs come loosely typed from files, so every field's type is checked too.
 */
type Input = Record<string, unknown>;

const DAY_MS = 86_400_000;
/** The longest a schedule generates slots ahead: a year bounds a schedule to some 35,000 slots of 15 minutes. */
export const MAX_HORIZON_DAYS = 366;
/** The horizon of a schedule that names none: four weeks from today. */
export const DEFAULT_HORIZON_DAYS = 28;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const validPractitioner = (input: Input): Practitioner => ({
  id: key(input.id, 'id'),
  name: { family: text(input.family, 'family', 100), given: textList(input.given, 'given', fieldLimits.givenNames) },
  specialty: text(input.specialty, 'specialty', 100),
});

export const validLocation = (input: Input): Location => ({ id: key(input.id, 'id'), name: text(input.name, 'name', 200), city: text(input.city, 'city', 100) });

function validAvailableTime(value: unknown, slotMinutes: number): AvailableTime[] {
  const field = 'availableTime';
  if (!Array.isArray(value) || value.length === 0 || value.length > 50) throw badInput(`${field} must hold from 1 to 50 periods`, { field, reason: 'INVALID_VALUE' });
  const periods = value.map((period: Input): AvailableTime => {
    const days = textList(period?.daysOfWeek, `${field}.daysOfWeek`, 7, 3);
    if (days.length === 0 || days.some((day) => !DAYS_OF_WEEK.includes(day as DayOfWeek))) {
      throw badInput(`${field}.daysOfWeek names days MON to SUN`, { field: `${field}.daysOfWeek`, reason: 'INVALID_VALUE' });
    }
    const start = text(period.start, `${field}.start`, 5);
    const end = text(period.end, `${field}.end`, 5);
    if (!TIME.test(start) || !TIME.test(end)) throw badInput(`${field}: times read HH:MM`, { field, reason: 'INVALID_VALUE' });
    if (minuteOfDay(end) - minuteOfDay(start) < slotMinutes) throw badInput(`${field}: each period holds at least one slot (end after start by slotMinutes)`, { field, reason: 'INVALID_VALUE' });
    return { daysOfWeek: days as DayOfWeek[], start, end };
  });
  // Overlapping periods would make slots of one practitioner that overlap.
  if (periods.some((period, i) => periods.slice(i + 1).some((other) => periodsOverlap(period, other)))) {
    throw badInput(`${field}: periods of one day must not overlap`, { field, reason: 'INVALID_VALUE' });
  }
  return periods;
}

function validHorizon(value: unknown, today: Date): Schedule['planningHorizon'] {
  if (value === null || value === undefined) {
    const start = today.toISOString().slice(0, 10);
    return { start, end: new Date(Date.parse(`${start}T00:00:00Z`) + DEFAULT_HORIZON_DAYS * DAY_MS).toISOString().slice(0, 10) };
  }
  const period = value as Input;
  const start = date(period.start, 'planningHorizon.start');
  const end = date(period.end, 'planningHorizon.end');
  const days = (Date.parse(end) - Date.parse(start)) / DAY_MS;
  if (days < 1 || days > MAX_HORIZON_DAYS) throw badInput(`planningHorizon must end 1 to ${MAX_HORIZON_DAYS} days after it starts`, { field: 'planningHorizon', reason: 'INVALID_VALUE' });
  return { start, end };
}

/** A schedule as given; that its practitioner and location exist is the store's to check. */
export function validSchedule(input: Input, today = new Date()): Schedule {
  const slotMinutes = integer(input.slotMinutes, 'slotMinutes', 5, 480);
  return {
    id: key(input.id, 'id'),
    practitionerId: key(input.practitionerId, 'practitionerId'),
    locationId: key(input.locationId, 'locationId'),
    serviceType: text(input.serviceType, 'serviceType', 100),
    slotMinutes,
    availableTime: validAvailableTime(input.availableTime, slotMinutes),
    planningHorizon: validHorizon(input.planningHorizon, today),
  };
}
