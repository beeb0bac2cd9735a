import { badInput } from '../errors.ts';

export const DAYS_OF_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Weekly availability, as FHIR's Availability.availableTime: on these days, from start to end (HH:MM, UTC). */
export interface AvailableTime {
  daysOfWeek: DayOfWeek[];
  start: string;
  end: string;
}

/** Minutes since midnight of an HH:MM time. */
export const minuteOfDay = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether two weekly periods share a day and a minute of it. */
export const periodsOverlap = (a: AvailableTime, b: AvailableTime) =>
  a.daysOfWeek.some((day) => b.daysOfWeek.includes(day)) && minuteOfDay(a.start) < minuteOfDay(b.end) && minuteOfDay(b.start) < minuteOfDay(a.end);

const DAY_RANGE = /^([a-z]{3})(?:-([a-z]{3}))?$/;
const HOURS = /^(\d\d:\d\d)-(\d\d:\d\d)$/;

/** `mon-fri` or `sat`: the days from one to the other, Monday first. */
function daysOf(text: string): DayOfWeek[] {
  const match = DAY_RANGE.exec(text.toLowerCase());
  const index = (day: string | undefined) => DAYS_OF_WEEK.indexOf(day?.toUpperCase() as DayOfWeek);
  const from = index(match?.[1]);
  const to = match?.[2] ? index(match[2]) : from;
  if (from < 0 || to < from) throw badInput('availableTime: days are mon..sun, one or a range such as mon-fri', { field: 'availableTime', reason: 'INVALID_VALUE' });
  return DAYS_OF_WEEK.slice(from, to + 1);
}

/**
 * The CSV form of availability: groups separated by `;`, each days then hours,
 * `mon-fri 09:00-12:00 13:00-17:00; sat 09:00-12:00` (days may be listed with commas: `mon,wed`).
 */
export function parseAvailableTime(text: string): AvailableTime[] {
  return text
    .split(';')
    .map((group) => group.trim())
    .filter((group) => group !== '')
    .flatMap((group) => {
      const [days = '', ...spans] = group.split(/\s+/);
      const daysOfWeek = days.split(',').flatMap(daysOf);
      if (spans.length === 0) throw badInput('availableTime: each group names its hours, such as 09:00-12:00', { field: 'availableTime', reason: 'INVALID_VALUE' });
      return spans.map((span) => {
        const hours = HOURS.exec(span);
        if (!hours) throw badInput('availableTime: hours read HH:MM-HH:MM', { field: 'availableTime', reason: 'INVALID_VALUE' });
        return { daysOfWeek, start: hours[1]!, end: hours[2]! };
      });
    });
}
