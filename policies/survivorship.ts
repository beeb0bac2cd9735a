/**
 * Survivorship, as governance data: when a data steward merges two records of one person, which
 * record's value the surviving record keeps, field by field. The merged record keeps its own values
 * (it is marked replaced by the survivor, never deleted), so an unmerge can give them back.
 *
 * The registry keeps no verification date per field: a record's `updated_at` (set when its
 * demographics were registered or last changed by staff) is the date its values were last
 * confirmed, and `MOST_RECENTLY_UPDATED` compares those.
 */
export const survivorshipRules = {
  /** Always the survivor's value. */
  SURVIVOR: 'the survivor keeps its own value',
  /** The survivor's value; the merged record's only where the survivor has none. */
  SURVIVOR_UNLESS_MISSING: "the survivor's value, or the merged record's where the survivor has none",
  /** The value of the record whose demographics were confirmed last (a tie goes to the survivor); the other's where that one has none. */
  MOST_RECENTLY_UPDATED: 'the value of the record updated last, or the other where that one has none',
} as const;
export type SurvivorshipRule = keyof typeof survivorshipRules;

/** The demographic fields a merge decides on; the MRN and id are always the survivor's. */
export type SurvivingField = 'name' | 'birthDate' | 'gender' | 'nationalIdentifier' | 'telecom' | 'address';

/**
 * Name, birth date and gender identify the person the steward chose to keep: a value of the
 * other record would make the survivor someone else. Contact details and address move, so the
 * latest wins; a national identifier is filled in when the survivor has none.
 */
export const survivorship: Readonly<Record<SurvivingField, SurvivorshipRule>> = {
  name: 'SURVIVOR',
  birthDate: 'SURVIVOR',
  gender: 'SURVIVOR',
  nationalIdentifier: 'SURVIVOR_UNLESS_MISSING',
  telecom: 'MOST_RECENTLY_UPDATED',
  address: 'MOST_RECENTLY_UPDATED',
};
