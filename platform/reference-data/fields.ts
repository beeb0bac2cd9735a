import { badInput } from '../errors.ts';
import { optionalText, requiredText } from '../validation.ts';

/**
 * Checks of reference-data input, whether it came typed through GraphQL or loosely from a file:
 * each names the field, never the value.
 */
const invalid = (field: string, message: string) => badInput(`${field} ${message}`, { field, reason: 'INVALID_VALUE' });

export function text(value: unknown, field: string, maxLength = 200): string {
  if (typeof value !== 'string') throw invalid(field, 'must be given as text');
  return requiredText(value, field, maxLength);
}

export function optional(value: unknown, field: string, maxLength = 200): string | null {
  if (value !== null && value !== undefined && typeof value !== 'string') throw invalid(field, 'must be text');
  return optionalText(value, field, maxLength);
}

/** A natural key the organisation chooses: letters, digits, `.`, `_` and `-`, as FHIR ids are. */
export function key(value: unknown, field: string): string {
  const id = text(value, field, 64);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) throw invalid(field, 'must hold only letters, digits, ".", "_" and "-"');
  return id;
}

export function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(field, `must be a whole number from ${min} to ${max}`);
  return value;
}

export function textList(value: unknown, field: string, maxItems: number, maxLength = 100): string[] {
  if (!Array.isArray(value) || value.length > maxItems) throw invalid(field, `must be a list of at most ${maxItems}`);
  return value.map((item) => text(item, field, maxLength));
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function date(value: unknown, field: string): string {
  const day = text(value, field, 10);
  const time = /^\d{4}-\d\d-\d\d$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  // Date.parse accepts 2026-02-31; a round trip does not.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) throw invalid(field, 'must be a date (YYYY-MM-DD)');
  return day;
}
