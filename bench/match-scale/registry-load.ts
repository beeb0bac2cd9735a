// bench:match:scale's registry: generated people as the patients subgraph stores them, bulk-loaded
// into its tables (its migrations) with the blocking keys registration writes (match-index.ts).
import type { Queryable } from '../../platform/database/database.ts';
import { hashedKeysOf, matchRecordOf, type MatchablePatient } from '../../subgraphs/patients/match-index.ts';
import type { RawPerson } from '../../subgraphs/patients/matching/record.ts';

/** A generated date the generator's digit typo made impossible (30 February): the 28th, still a typo of the person's date. */
function calendarDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : `${date.slice(0, 8)}28`;
}

/** A generated person as `registerPatient` would have stored them. */
export function asPatient(person: RawPerson, id: string): MatchablePatient & { name: { family: string; given: string[] }; birthDate: string; gender: string } {
  const given = Array.isArray(person.given) ? [...person.given] : person.given ? [person.given as string] : [];
  return {
    id,
    name: { family: person.family ?? '', given },
    birthDate: calendarDate(person.birthDate!),
    gender: (person.gender ?? 'unknown').toUpperCase(),
    nationalIdentifier: person.identifier ?? null,
    telecom: person.phone ? [{ system: 'PHONE', value: person.phone, use: 'HOME' }] : [],
    address: person.addressLine
      ? { line: [person.addressLine], city: person.city ?? '', state: person.state ?? '', postalCode: person.postcode ?? '', country: 'US' }
      : null,
  };
}

/** Patients a statement: arrays unnested by PostgreSQL, a handful of parameters however many rows. */
const CHUNK = 20_000;

/**
 * The match index's constraints and indexes, as the migrations made them: dropped for the load
 * and made again after (as pg_restore does), since fourteen million keys inserted into their
 * b-trees in random order take many times longer than building them once.
 */
async function withoutKeyIndexes<T>(db: Queryable, load: () => Promise<T>): Promise<T> {
  const constraints = await db.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'patient_match_key'::regclass ORDER BY contype DESC`,
  );
  const indexes = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'patient_match_key'`,
  );
  const own = indexes.filter((index) => !constraints.some((constraint) => constraint.name === index.name));
  for (const { name } of constraints) await db.query(`ALTER TABLE patient_match_key DROP CONSTRAINT ${name}`);
  for (const { name } of own) await db.query(`DROP INDEX ${name}`);
  const result = await load();
  for (const { name, definition } of constraints) await db.query(`ALTER TABLE patient_match_key ADD CONSTRAINT ${name} ${definition}`);
  for (const { definition } of own) await db.query(definition);
  return result;
}

/** Registers `patients` (ids in registration order) with their match keys, `CHUNK` a transaction-free statement pair. */
export async function loadRegistry(db: Queryable, patients: ReadonlyArray<ReturnType<typeof asPatient>>, onChunk?: (done: number) => void): Promise<{ keys: number }> {
  return withoutKeyIndexes(db, () => insertRegistry(db, patients, onChunk));
}

async function insertRegistry(db: Queryable, patients: ReadonlyArray<ReturnType<typeof asPatient>>, onChunk?: (done: number) => void): Promise<{ keys: number }> {
  let keys = 0;
  for (let start = 0; start < patients.length; start += CHUNK) {
    const chunk = patients.slice(start, start + CHUNK);
    await db.query(
      `INSERT INTO patient (id, mrn, family_name, given_names, birth_date, gender, national_identifier, telecom, address)
       SELECT id, 'MRN' || nextval('mrn_sequence'), family, string_to_array(given, '|'), birth::date, gender, identifier, telecom::jsonb, address::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS t (id, family, given, birth, gender, identifier, telecom, address)`,
      [
        chunk.map((p) => p.id),
        chunk.map((p) => p.name.family),
        chunk.map((p) => p.name.given.join('|')),
        chunk.map((p) => p.birthDate),
        chunk.map((p) => p.gender),
        chunk.map((p) => p.nationalIdentifier ?? null),
        chunk.map((p) => JSON.stringify(p.telecom)),
        chunk.map((p) => (p.address ? JSON.stringify(p.address) : null)),
      ],
    );
    const keyValues: string[] = [];
    const keyPatients: string[] = [];
    for (const patient of chunk) {
      for (const key of hashedKeysOf(matchRecordOf(patient))) {
        keyValues.push(key);
        keyPatients.push(patient.id);
      }
    }
    // No conflict to skip: hashedKeysOf gives each patient's keys once.
    await db.query('INSERT INTO patient_match_key (key, patient_id) SELECT * FROM unnest($1::text[], $2::text[])', [keyValues, keyPatients]);
    keys += keyValues.length;
    onChunk?.(start + chunk.length);
  }
  return { keys };
}
