import { badInput } from '../../platform/errors.ts';

const MAX_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;

/** A trail window: `to` after `from`, at most a year (366 days, so a leap year fits). */
export function validWindow(from: Date, to: Date): void {
  if (to <= from) throw badInput('to must be after from', { field: 'to' });
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw badInput('The window from..to is at most a year', { field: 'to' });
}
