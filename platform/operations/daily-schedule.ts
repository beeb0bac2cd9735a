/**
 * "Every day at HH:MM in a time zone" as instants. Every replica computes the same instant for a
 * day, so a slot is a key they agree on. On a day the clock skips the time (daylight saving starts)
 * the slot falls in the hour after; on a day the time happens twice, the first.
 */
export interface DailySchedule {
  /** HH:MM, 24-hour. */
  at: string;
  /** An IANA time zone, such as Europe/Brussels. */
  timeZone: string;
}

const DAY_MS = 24 * 3_600_000;

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The zone's calendar day of an instant, as the UTC midnight of that date. */
function localDay(instant: number, timeZone: string): number {
  const local = instant + offsetAt(instant, timeZone);
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}

/** The instant of the schedule's time on the local day that starts at `day` (a UTC midnight). */
function slotOn(day: number, { at, timeZone }: DailySchedule): number {
  const [hours, minutes] = at.split(':').map(Number) as [number, number];
  const wallClock = day + (hours * 60 + minutes) * 60_000;
  // The offsets a day either side: they differ only across a daylight saving change.
  const before = offsetAt(wallClock - DAY_MS, timeZone);
  const after = offsetAt(wallClock + DAY_MS, timeZone);
  const readsAsWallClock = (instant: number) => instant + offsetAt(instant, timeZone) === wallClock;
  const instants = [wallClock - before, wallClock - after].filter(readsAsWallClock);
  // None: the clock skipped the time, and the offset before the change puts it in the hour after.
  return instants.length > 0 ? Math.min(...instants) : wallClock - before;
}

/** The last slot at or before `now`, and the first after it. */
export function slotsAround(now: Date, schedule: DailySchedule): { previous: Date; next: Date } {
  const today = localDay(now.getTime(), schedule.timeZone);
  const slotToday = slotOn(today, schedule);
  if (slotToday <= now.getTime()) return { previous: new Date(slotToday), next: new Date(slotOn(today + DAY_MS, schedule)) };
  return { previous: new Date(slotOn(today - DAY_MS, schedule)), next: new Date(slotToday) };
}

export const isTimeOfDay = (value: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(value);

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
