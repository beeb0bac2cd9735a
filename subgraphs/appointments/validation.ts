import { badInput } from '../../platform/errors.ts';
import { optionalText } from '../../platform/validation.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A time window whose end is after its start and, when `maxDays` is given, at most that long. */
export function requireWindow(from: Date, to: Date, field: string, maxDays?: number): void {
  if (to <= from) throw badInput(`${field}: to must be after from`, { field });
  if (maxDays !== undefined && to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw badInput(`${field}: the window may be at most ${maxDays} days long`, { field });
  }
}

/** Patients live in the patients subgraph, which this one never calls: only the id's form is checked. */
export function validPatientId(id: string): string {
  if (!/^pat-[A-Za-z0-9-]{1,64}$/.test(id)) throw badInput('patientId is not a patient id (pat-…)', { field: 'patientId' });
  return id;
}

export const validReason = (reason: string | null | undefined) => optionalText(reason, 'reason', 500);
