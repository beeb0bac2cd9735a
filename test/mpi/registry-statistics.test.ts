// Issue 14: patientMatch weighs a pair against the registry's own random pairs: the registry's
// size and how often two of its patients share each compared field's value, counted in SQL as the
// matcher folds the values, merged records left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { RowScope } from '../../platform/subgraph/row-scope.ts';
import { matchRecordOf } from '../../subgraphs/patients/match-index.ts';
import { statisticsOf } from '../../subgraphs/patients/matching/trained.ts';
import { PatientStore } from '../../subgraphs/patients/patient-store.ts';
import { keepRegistryStatistics, registryStatistics, registryStatisticsKept } from '../../subgraphs/patients/registry-statistics.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';

const address = (line: string, postalCode: string) => ({ line: [line], city: 'Dayton', state: 'OH', postalCode, country: 'US' });
const phone = (value: string) => [{ system: 'EMAIL', value: 'x@example.org', use: 'HOME' }, { system: 'PHONE', value, use: 'HOME' }];
const patients = [
  { id: 'pat-1', family: 'Okafor', given: ['Ngozi', 'Ada'], birthDate: '1990-02-14', gender: 'FEMALE', identifier: '501-33-1204', telecom: phone('+1 555 201 7781'), address: address('9 Foxglove Lane', '45409') },
  { id: 'pat-2', family: 'okafor', given: ['Emeka'], birthDate: '1988-06-01', gender: 'MALE', identifier: null, telecom: phone('555 201 7781'), address: address('9 Foxglove Lane', '45409') },
  { id: 'pat-3', family: 'Lindqvist', given: ['Ngozi'], birthDate: '1990-02-14', gender: 'FEMALE', identifier: '744-10-5521', telecom: [], address: address('2 Elm St', '45 402') },
  { id: 'pat-4', family: 'Haverford', given: ['Ignatius'], birthDate: '1955-11-03', gender: 'UNKNOWN', identifier: '320-55-6677', telecom: phone('+1 555 330 4455'), address: null },
];

describe('a registry\'s statistics', () => {
  let db: Database;

  beforeAll(async () => {
    db = await registryOf(patients);
  });
  afterAll(() => db?.close());

  it('counts in SQL what the matcher counts of the same patients', async () => {
    const store = new PatientStore(db, RowScope.background('test'));
    const counted = await store.registryStatistics();
    const expected = statisticsOf(
      patients.map((p) =>
        matchRecordOf({ id: p.id, name: { family: p.family, given: p.given }, birthDate: p.birthDate, gender: p.gender, nationalIdentifier: p.identifier, telecom: p.telecom as never, address: p.address }),
      ),
    );
    expect(counted.records).toBe(4);
    for (const [field, agreement] of Object.entries(expected.agreement)) expect([field, counted.agreement[field]]).toEqual([field, expect.closeTo(agreement, 9)]);
    expect(Object.keys(counted.agreement).sort()).toEqual(Object.keys(expected.agreement).sort());
  });

  it('keeps each registry its own, even two embedded ones of the same name in one process', async () => {
    const other = await openDatabase({ schema: 'patients' });
    try {
      await migrate(other, patientsSubgraph.migrations);
      const [first] = patients;
      await insertRows(other, 'patient', ['id', { name: 'mrn', sql: `'MRN' || nextval('mrn_sequence')` }, 'family_name', 'given_names', 'birth_date', 'gender'], [[first!.id, first!.family, first!.given, first!.birthDate, first!.gender]]);
      await new PatientStore(db, RowScope.background('test')).registryStatistics();
      expect((await new PatientStore(other, RowScope.background('test')).registryStatistics()).records).toBe(1);
    } finally {
      await other.close();
    }
  });

  // The first match of the hour paid the count of the whole registry on its own transaction
  // (9 s at a million patients): the statistics are kept in a table instead.
  it('reads the statistics kept for the registry instead of counting them', async () => {
    const fresh = await registryOf(patients.slice(0, 2));
    try {
      const kept = { records: 1_000_000, agreement: { given: 0.0053, family: 0.00042 } };
      await keepRegistryStatistics(fresh, kept);
      expect(await registryStatistics(fresh)).toEqual(kept);
    } finally {
      await fresh.close();
    }
  });

  it('with none kept, counts at most a bounded sample on the request and keeps the whole count from a background connection', async () => {
    const fresh = await registryOf(patients);
    try {
      const counted = await registryStatistics(fresh, fresh.background, { sample: 2 });
      // The first two patients share a surname: all the sample knows of it.
      expect([counted.records, counted.agreement.family]).toEqual([4, 1]);
      await registryStatisticsKept();
      const [row] = await fresh.query<{ records: number; agreement: Record<string, number> }>('SELECT records, agreement FROM registry_statistics');
      expect([row?.records, row?.agreement.family]).toEqual([4, expect.closeTo(2 / 12, 9)]);
    } finally {
      await fresh.close();
    }
  });
});

/** A registry of its own (a new embedded database), holding `rows`. */
async function registryOf(rows: typeof patients): Promise<Database> {
  const fresh = await openDatabase({ schema: 'patients' });
  await migrate(fresh, patientsSubgraph.migrations);
  await insertRows(
    fresh,
    'patient',
    ['id', { name: 'mrn', sql: `'MRN' || nextval('mrn_sequence')` }, 'family_name', 'given_names', 'birth_date', 'gender', 'national_identifier', 'telecom', 'address'],
    rows.map((p) => [p.id, p.family, p.given, p.birthDate, p.gender, p.identifier, JSON.stringify(p.telecom), p.address ? JSON.stringify(p.address) : null]),
  );
  return fresh;
}
