// Issue 14: npm run mpi:dedupe deduplicates the registry in id order, indexes patients registered
// before the index, feeds the review queue, never grades twins certain, and resumes where it stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { dedupeRegistry } from '../../subgraphs/patients/dedupe.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';

const home = { line: ['9 Foxglove Lane'], city: 'Dayton', state: 'OH', postalCode: '45409', country: 'US' };
const phone = (value: string) => JSON.stringify([{ system: 'PHONE', value, use: 'HOME' }]);
// id, family, given, birth date, gender, national identifier, telecom, address
const registry: unknown[][] = [
  ['pat-a1', 'Okonkwo-Reyes', ['Theodora'], '1990-02-14', 'FEMALE', '501-33-1204', phone('+1 555 201 7781'), JSON.stringify(home)],
  ['pat-a2', 'Okonkwo-Reyes', ['Teodora'], '1990-02-14', 'FEMALE', null, phone('+1 555 201 7781'), JSON.stringify(home)],
  ['pat-b1', 'Vasquez-Lindqvist', ['Mirela'], '2012-07-30', 'FEMALE', '744-10-5521', phone('+1 555 870 1100'), JSON.stringify(home)],
  ['pat-b2', 'Vasquez-Lindqvist', ['Annika'], '2012-07-30', 'FEMALE', '744-10-9934', phone('+1 555 870 1100'), JSON.stringify(home)],
  ['pat-c1', 'Haverford', ['Ignatius'], '1955-11-03', 'MALE', '320-55-6677', phone('+1 555 330 4455'), null],
];

describe('npm run mpi:dedupe', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ schema: 'patients' });
    await migrate(db, patientsSubgraph.migrations);
    // Registered before the index: no blocking keys yet.
    await insertRows(db, 'patient', ['id', { name: 'mrn', sql: `'MRN' || nextval('mrn_sequence')` }, 'family_name', 'given_names', 'birth_date', 'gender', 'national_identifier', 'telecom', 'address'], registry);
  });
  afterAll(() => db?.close());

  it('resumes a stopped run, indexes every patient, queues the duplicate and never the twins as certain', async () => {
    await expect(
      dedupeRegistry(db, {
        batchSize: 2,
        onBatch: () => {
          throw new Error('stopped after the first batch');
        },
      }),
    ).rejects.toThrow('stopped');
    const resumed = await dedupeRegistry(db, { batchSize: 2 });
    expect(resumed.resumed).toBe(true);
    expect(resumed.patients).toBe(3);
    const indexed = await db.query<{ n: number }>('SELECT count(DISTINCT patient_id)::int AS n FROM patient_match_key');
    expect(indexed[0]!.n).toBe(registry.length);
    const reviews = await db.query<{ patient_id: string; candidate_id: string; grade: string; status: string }>(
      'SELECT patient_id, candidate_id, grade, status FROM match_review ORDER BY patient_id, candidate_id',
    );
    expect(reviews).toContainEqual({ patient_id: 'pat-a2', candidate_id: 'pat-a1', grade: expect.stringMatching(/CERTAIN|PROBABLE/), status: 'OPEN' });
    expect(reviews.filter((review) => review.patient_id === 'pat-b2' && review.grade === 'CERTAIN')).toEqual([]);
    expect(resumed.clusters.certainOrProbable).toBeGreaterThanOrEqual(1);

    // A run that finished is not resumed; a new one finds the same pairs and queues nothing twice.
    const again = await dedupeRegistry(db);
    expect(again.resumed).toBe(false);
    expect(again.patients).toBe(registry.length);
    const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM match_review');
    expect(count[0]!.n).toBe(reviews.length);
  });

  it('keeps the registry\'s statistics it counted, for every match to read', async () => {
    await dedupeRegistry(db);
    const [kept] = await db.query<{ records: number; agreement: Record<string, number> }>('SELECT records, agreement FROM registry_statistics');
    expect(kept?.records).toBe(registry.length);
    expect(kept?.agreement.family).toBeCloseTo(2 * 2 / (registry.length * (registry.length - 1)), 9);
  });
});
