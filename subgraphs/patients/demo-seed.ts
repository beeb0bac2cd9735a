import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Database } from '../../platform/database/database.ts';
import { SeededRandom } from '../../platform/demo/random.ts';
import type { CoverageNotice } from '../../platform/events/catalog.ts';
import { hashedKeysOf, matchRecordOf } from './match-index.ts';
import type { ContactPoint } from './model.ts';

const FAMILY_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Nguyen', 'Okafor', 'Kowalski', 'Dubois', 'Rossi', 'Novak'];
const FEMALE_NAMES = ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Amara', 'Mei', 'Sofia', 'Ingrid', 'Fatima', 'Chloe'];
const MALE_NAMES = ['James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Kwame', 'Hiroshi', 'Mateo', 'Lars', 'Omar', 'Louis'];
const CITIES = [
  { city: 'Springfield', state: 'IL', zip: '627' },
  { city: 'Madison', state: 'WI', zip: '537' },
  { city: 'Portland', state: 'OR', zip: '972' },
  { city: 'Austin', state: 'TX', zip: '787' },
  { city: 'Columbus', state: 'OH', zip: '432' },
];
const STREETS = ['Oak St', 'Maple Ave', 'Cedar Ln', 'Elm St', 'Pine Rd', 'Lakeview Dr', 'Main St', 'Hillcrest Blvd'];
const PLANS = ['Bronze PPO', 'Silver HMO', 'Gold PPO', 'Medicare Advantage', 'Employer Choice'];

export interface SeededPatients {
  patientIds: string[];
  coverages: Array<CoverageNotice & { memberId: string }>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A few hundred synthetic patients, the same on every start (ids pat-0001...). Names and numbers
 * are invented; none belongs to a real person. Does nothing when patients already exist.
 */
export async function seedPatients(db: Database, { count = 300, payerIds }: { count?: number; payerIds: string[] }): Promise<SeededPatients> {
  const existing = await db.query<{ id: string }>('SELECT id FROM patient ORDER BY id');
  if (existing.length > 0) {
    const coverages = await db.query<SeededPatients['coverages'][number] & Record<string, unknown>>(
      `SELECT id AS "coverageId", patient_id AS "patientId", payer_id AS "payerId", member_id AS "memberId", status,
         to_char(period_start, 'YYYY-MM-DD') AS "periodStart", to_char(period_end, 'YYYY-MM-DD') AS "periodEnd"
       FROM coverage ORDER BY id`,
    );
    return { patientIds: existing.map((row) => row.id), coverages };
  }
  const random = new SeededRandom(20261124);
  const patients: unknown[][] = [];
  const coverages: unknown[][] = [];
  const consents: unknown[][] = [];
  const matchKeys: unknown[][] = [];
  const seeded: SeededPatients = { patientIds: [], coverages: [] };
  for (let n = 1; n <= count; n++) {
    const id = `pat-${pad(n, 4)}`;
    const female = random.chance(0.52);
    const family = random.pick(FAMILY_NAMES);
    const given = [random.pick(female ? FEMALE_NAMES : MALE_NAMES)];
    const place = random.pick(CITIES);
    const birthDate = `${random.int(1938, 2022)}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`;
    const nationalIdentifier = random.chance(0.9) ? `${pad(random.int(100, 899), 3)}-${pad(random.int(10, 99), 2)}-${pad(random.int(1000, 9999), 4)}` : null;
    const telecom = [
      { system: 'PHONE', value: `+1 555 ${pad(random.int(100, 999), 3)} ${pad(random.int(0, 9999), 4)}`, use: 'MOBILE' },
      { system: 'EMAIL', value: `${given[0]!.toLowerCase()}.${family.toLowerCase()}${n}@example.org`, use: 'HOME' },
    ];
    const address = {
      line: [`${random.int(1, 999)} ${random.pick(STREETS)}`],
      city: place.city,
      state: place.state,
      postalCode: `${place.zip}${pad(random.int(0, 99), 2)}`,
      country: 'US',
    };
    patients.push([id, family, given, birthDate, female ? 'FEMALE' : 'MALE', nationalIdentifier, JSON.stringify(telecom), JSON.stringify(address)]);
    const record = matchRecordOf({ id, name: { family, given }, birthDate, gender: female ? 'FEMALE' : 'MALE', nationalIdentifier, telecom: telecom as ContactPoint[], address });
    for (const key of hashedKeysOf(record)) matchKeys.push([key, id]);
    seeded.patientIds.push(id);
    if (random.chance(0.8)) {
      const payerId = random.pick(payerIds);
      const memberId = `M${pad(random.int(0, 99_999_999), 8)}`;
      const coverage = { coverageId: `cov-${pad(n, 4)}`, patientId: id, payerId, memberId, status: 'ACTIVE' as const, periodStart: `${random.int(2019, 2025)}-01-01`, periodEnd: null };
      coverages.push([coverage.coverageId, id, payerId, memberId, random.pick(PLANS), coverage.status, coverage.periodStart, coverage.periodEnd]);
      seeded.coverages.push(coverage);
    }
    consents.push([`cns-${pad(n, 4)}-t`, id, 'TREATMENT', 'PERMIT', 'ACTIVE', '2024-01-01', null]);
    if (random.chance(0.6)) consents.push([`cns-${pad(n, 4)}-d`, id, 'DATA_SHARING', random.chance(0.8) ? 'PERMIT' : 'DENY', 'ACTIVE', '2024-01-01', null]);
  }
  await db.transaction(async (tx) => {
    await insertRows(
      tx,
      'patient',
      ['id', { name: 'mrn', sql: `'MRN' || nextval('mrn_sequence')` }, 'family_name', 'given_names', 'birth_date', 'gender', 'national_identifier', 'telecom', 'address'],
      patients,
    );
    await insertRows(tx, 'coverage', ['id', 'patient_id', 'payer_id', 'member_id', 'plan', 'status', 'period_start', 'period_end'], coverages);
    await insertRows(tx, 'consent', ['id', 'patient_id', 'category', 'decision', 'status', 'period_start', 'period_end'], consents);
    await insertRows(tx, 'patient_match_key', ['key', 'patient_id'], matchKeys);
  });
  return seeded;
}
