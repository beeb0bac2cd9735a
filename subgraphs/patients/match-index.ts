import { createHash } from 'node:crypto';
import type { Queryable } from '../../platform/database/database.ts';
import { keysOf } from './matching/blocking.ts';
import { matchRecord, type MatchRecord } from './matching/record.ts';
import type { Address, ContactPoint, HumanName } from './model.ts';

/** What the matcher reads of a patient, registered or proposed. */
export interface MatchablePatient {
  id: string;
  name?: HumanName | null;
  birthDate?: string | null;
  gender?: string | null;
  nationalIdentifier?: string | null;
  telecom?: readonly ContactPoint[] | null;
  address?: Address | null;
}

export function matchRecordOf(patient: MatchablePatient): MatchRecord {
  const phone = patient.telecom?.find((point) => point.system !== 'EMAIL')?.value ?? null;
  return matchRecord({
    id: patient.id,
    given: patient.name?.given ?? null,
    family: patient.name?.family ?? null,
    birthDate: patient.birthDate ?? null,
    gender: patient.gender === 'UNKNOWN' ? null : (patient.gender ?? null),
    identifier: patient.nationalIdentifier ?? null,
    phone,
    addressLine: patient.address?.line.join(' ') ?? null,
    city: patient.address?.city ?? null,
    postcode: patient.address?.postalCode ?? null,
    state: patient.address?.state ?? null,
  });
}

/** A blocking key as stored: a short hash, so the index holds no patient data in the clear. */
export const hashedKey = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

export const hashedKeysOf = (record: MatchRecord) => keysOf(record).map(hashedKey);

/** Replaces a patient's keys with those of its current values: on register and on every update. */
export async function indexPatient(db: Queryable, patient: MatchablePatient): Promise<void> {
  await db.query('DELETE FROM patient_match_key WHERE patient_id = $1', [patient.id]);
  await indexPatients(db, [patient]);
}

/** Adds the keys of patients not in the index yet (a batch job's), in one statement. */
export async function indexPatients(db: Queryable, patients: readonly MatchablePatient[]): Promise<void> {
  const keys: string[] = [];
  const owners: string[] = [];
  for (const patient of patients) {
    for (const key of hashedKeysOf(matchRecordOf(patient))) {
      keys.push(key);
      owners.push(patient.id);
    }
  }
  if (keys.length > 0) await db.query('INSERT INTO patient_match_key (key, patient_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [keys, owners]);
}
