// A registry keyed before the blocking keys changed (matching/blocking.ts) is re-keyed by
// npm run mpi:dedupe: a patient keyed with an older scheme is found by the new keys after it; every
// write that keys a patient records the scheme it keyed with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { RowScope } from '../../platform/subgraph/row-scope.ts';
import { dedupeRegistry } from '../../subgraphs/patients/dedupe.ts';
import { hashedKey, MATCH_KEY_SCHEME, matchRecordOf } from '../../subgraphs/patients/match-index.ts';
import { blockingKeys, keysOf } from '../../subgraphs/patients/matching/blocking.ts';
import { PatientMerges } from '../../subgraphs/patients/patient-merges.ts';
import { PatientStore } from '../../subgraphs/patients/patient-store.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';

const orla = {
  name: { family: 'Brennan-Achterberg', given: ['Orla'] },
  birthDate: '1984-09-17',
  gender: 'FEMALE',
  nationalIdentifier: null,
  telecom: [{ system: 'PHONE' as const, value: '+1 555 604 3318', use: 'HOME' as const }],
  address: { line: ['27 Sorrel Court'], city: 'Tulsa', state: 'OK', postalCode: '74105', country: 'US' },
};
// The scheme before blocking by home and birthday: every key but that one.
const { homeBirthday, ...olderKeys } = blockingKeys;

describe('the match index key scheme', () => {
  let db: Database;
  let store: PatientStore;
  const scheme = async (id: string) => (await db.query<{ scheme: number }>('SELECT scheme FROM patient_match_keyed WHERE patient_id = $1', [id]))[0]?.scheme;

  beforeAll(async () => {
    db = await openDatabase({ schema: 'patients' });
    await migrate(db, patientsSubgraph.migrations);
    store = new PatientStore(db, RowScope.background('test'));
  });
  afterAll(() => db?.close());

  it('records the scheme registration, update, merge and unmerge key a patient with', async () => {
    const id = await store.register(orla as never);
    expect(await scheme(id)).toBe(MATCH_KEY_SCHEME);
    // An update re-keys the patient, with the current scheme whatever it was keyed with before.
    await db.query('UPDATE patient_match_keyed SET scheme = 1 WHERE patient_id = $1', [id]);
    await store.updateDemographics(id, { address: { ...orla.address, line: ['3 Tansy Walk'] } });
    expect(await scheme(id)).toBe(MATCH_KEY_SCHEME);

    // A merged record leaves the index; its unmerge keys it again, with the current scheme.
    const twin = await store.register({ ...orla, name: { family: 'Brennan-Achterberg', given: ['Orla', 'Mae'] } } as never);
    await db.transaction((tx) => new PatientMerges(tx, RowScope.background('test')).merge(id, twin, 'same person', null));
    expect(await scheme(twin)).toBeUndefined();
    await db.query('UPDATE patient_match_keyed SET scheme = 1 WHERE patient_id = $1', [id]);
    await db.transaction((tx) => new PatientMerges(tx, RowScope.background('test')).unmerge(twin, 'not the same person', null));
    expect([await scheme(id), await scheme(twin)]).toEqual([MATCH_KEY_SCHEME, MATCH_KEY_SCHEME]);
  });

  it('re-keys a patient keyed with an older scheme before mpi:dedupe scores, so the new key finds it', async () => {
    const id = 'pat-older-scheme';
    await insertRows(db, 'patient', ['id', { name: 'mrn', sql: `'MRN' || nextval('mrn_sequence')` }, 'family_name', 'given_names', 'birth_date', 'gender', 'national_identifier', 'telecom', 'address'], [
      [id, 'Brennan', ['Orlagh'], '1948-09-17', 'FEMALE', null, JSON.stringify(orla.telecom), JSON.stringify(orla.address)],
    ]);
    const record = matchRecordOf({ ...orla, id, name: { family: 'Brennan', given: ['Orlagh'] }, birthDate: '1948-09-17' });
    const older = keysOf(record, olderKeys).map(hashedKey);
    await insertRows(db, 'patient_match_key', ['key', 'patient_id'], older.map((key) => [key, id]));
    const newKeys = keysOf(record, { homeBirthday: homeBirthday! }).map(hashedKey).filter((key) => !older.includes(key));
    expect(newKeys.length).toBeGreaterThan(0);
    expect((await store.matchCandidates(newKeys)).map((patient) => patient.id)).not.toContain(id);

    await dedupeRegistry(db);
    expect((await store.matchCandidates(newKeys)).map((patient) => patient.id)).toContain(id);
    expect(await scheme(id)).toBe(MATCH_KEY_SCHEME);
  });
});
