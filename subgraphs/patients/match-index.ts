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

/**
 * The version of the blocking keys (matching/blocking.ts `blockingKeys`) and their hashing. Bump it
 * whenever either changes: `npm run mpi:dedupe` then re-keys every patient keyed with an older one.
 */
export const MATCH_KEY_SCHEME = 2;

/** Replaces a patient's keys with those of its current values: on register and on every update. */
export async function indexPatient(db: Queryable, patient: MatchablePatient): Promise<void> {
  await indexPatients(db, [patient]);
}

/** Replaces these patients' keys with the current scheme's, and records that scheme, a few statements for the lot. */
export async function indexPatients(db: Queryable, patients: readonly MatchablePatient[]): Promise<void> {
  if (patients.length === 0) return;
  const ids = patients.map((patient) => patient.id);
  const keys: string[] = [];
  const owners: string[] = [];
  for (const patient of patients) {
    for (const key of hashedKeysOf(matchRecordOf(patient))) {
      keys.push(key);
      owners.push(patient.id);
    }
  }
  await db.query('DELETE FROM patient_match_key WHERE patient_id = ANY($1)', [ids]);
  if (keys.length > 0) await db.query('INSERT INTO patient_match_key (key, patient_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [keys, owners]);
  await db.query(
    'INSERT INTO patient_match_keyed (patient_id, scheme) SELECT unnest($1::text[]), $2 ON CONFLICT (patient_id) DO UPDATE SET scheme = EXCLUDED.scheme',
    [ids, MATCH_KEY_SCHEME],
  );
}

/** Takes a patient out of the index (merged into another): no keys, and none to renew. */
export async function unindexPatient(db: Queryable, patientId: string): Promise<void> {
  await db.query('DELETE FROM patient_match_key WHERE patient_id = $1', [patientId]);
  await db.query('DELETE FROM patient_match_keyed WHERE patient_id = $1', [patientId]);
}
