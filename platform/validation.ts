import { CONTROL_CHARACTER } from '../policies/input-limits.ts';
import { badInput } from './errors.ts';

/**
 * Input checks shared by the subgraphs. Messages name the field, never the value: the value may be
 * patient data.
 */
export function requiredText(value: string, field: string, maxLength = 200): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badInput(`${field} must not be empty`, { field });
  if (trimmed.length > maxLength) throw badInput(`${field} must be at most ${maxLength} characters`, { field, reason: 'INPUT_TOO_LONG' });
  if (CONTROL_CHARACTER.test(trimmed)) throw badInput(`${field} must not hold control characters`, { field, reason: 'INPUT_CONTROL_CHARACTER' });
  return trimmed;
}

/** A list of at most `max` items (policies/input-limits.ts names the caps). */
export function cappedList<T>(items: readonly T[], field: string, max: number): readonly T[] {
  if (items.length > max) throw badInput(`${field} holds at most ${max} items`, { field, reason: 'LIST_TOO_LONG' });
  return items;
}

export function optionalText(value: string | null | undefined, field: string, maxLength = 200): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : requiredText(value, field, maxLength);
}

/** A period whose end, when given, is not before its start (ISO dates compare as strings). */
export function requirePeriod(start: string, end: string | null | undefined, field: string): void {
  if (end && end < start) throw badInput(`${field} ends before it starts`, { field });
}

export function pageSize(first: number | null | undefined, max: number): number {
  const size = first ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max) throw badInput(`first must be between 1 and ${max}`, { field: 'first' });
  return size;
}
