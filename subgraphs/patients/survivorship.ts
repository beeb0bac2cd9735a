import { survivorship, type SurvivingField } from '../../policies/survivorship.ts';
import type { Patient } from './model.ts';

/** A record's values of the fields a merge decides on. */
export type SurvivingValues = { [F in SurvivingField]: F extends 'name' ? Patient['name'] : Patient[F] };

/** A record going into a merge: its values and when its demographics were last confirmed. */
export interface MergeSide {
  values: SurvivingValues;
  updatedAt: Date;
}

const missing = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

export const survivingValuesOf = (patient: Patient): SurvivingValues => ({
  name: patient.name,
  birthDate: patient.birthDate,
  gender: patient.gender,
  nationalIdentifier: patient.nationalIdentifier,
  telecom: patient.telecom,
  address: patient.address,
});

/**
 * The values policies/survivorship.ts gives the survivor: only the fields that change, with the
 * survivor's value each replaces (what an unmerge gives back).
 */
export function applySurvivorship(survivor: MergeSide, merged: MergeSide): { before: Partial<SurvivingValues>; after: Partial<SurvivingValues> } {
  const before: Partial<SurvivingValues> = {};
  const after: Partial<SurvivingValues> = {};
  for (const field of Object.keys(survivorship) as SurvivingField[]) {
    const kept = survivor.values[field];
    const other = merged.values[field];
    const rule = survivorship[field];
    const takeOther =
      !missing(other) &&
      (missing(kept) || (rule === 'MOST_RECENTLY_UPDATED' && merged.updatedAt.getTime() > survivor.updatedAt.getTime())) &&
      rule !== 'SURVIVOR';
    if (takeOther && JSON.stringify(other) !== JSON.stringify(kept)) {
      (before as Record<string, unknown>)[field] = kept;
      (after as Record<string, unknown>)[field] = other;
    }
  }
  return { before, after };
}
