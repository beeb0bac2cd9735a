// A service following a data steward's merges (platform/events/patient-references.ts): rows naming
// the merged patient move to the survivor and back, whatever order the log hands the events over in.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import type { EventType, PatientMergeNotice } from '../../platform/events/catalog.ts';
import { patientMergeReaction } from '../../platform/events/patient-references.ts';
import { databaseEngines } from '../support/databases.ts';
import { migratedDatabase } from './migrated-database.ts';

describe.each(databaseEngines)('following patient merges on $engine', ({ url }) => {
  const suite = migratedDatabase(url, 'patient_refs');
  let db: Database;
  const following = patientMergeReaction('test-patient-merges', [{ table: 'visit', key: 'id' }]);
  const handle = (type: EventType, notice: PatientMergeNotice) => db.transaction((tx) => following.work(tx, notice, type));
  const visitsOf = async (patientId: string) => (await db.query<{ id: string }>('SELECT id FROM visit WHERE patient_id = $1 ORDER BY id', [patientId])).map((row) => row.id);

  beforeAll(async () => {
    db = suite.db;
    await db.exec('CREATE TABLE visit (id text PRIMARY KEY, patient_id text NOT NULL)');
  });

  it("moves the merged patient's rows to the survivor, and on unmerge exactly those back", async () => {
    await db.query(`INSERT INTO visit VALUES ('v1', 'pat-dup'), ('v2', 'pat-dup'), ('v3', 'pat-keep')`);
    const merge = { patientId: 'pat-dup', survivorId: 'pat-keep', mergeId: 'mrg-1' };
    await handle('org.healthgraph.patient.merged.v1', merge);
    expect(await visitsOf('pat-dup')).toEqual([]);
    expect(await visitsOf('pat-keep')).toEqual(['v1', 'v2', 'v3']);
    // Booked for the survivor while merged: stays the survivor's.
    await db.query(`INSERT INTO visit VALUES ('v4', 'pat-keep')`);
    await handle('org.healthgraph.patient.unmerged.v1', merge);
    expect(await visitsOf('pat-dup')).toEqual(['v1', 'v2']);
    expect(await visitsOf('pat-keep')).toEqual(['v3', 'v4']);
  });

  it('moves nothing for a merge handled after its unmerge (replayed from the dead letters)', async () => {
    await db.query(`INSERT INTO visit VALUES ('w1', 'pat-late')`);
    const merge = { patientId: 'pat-late', survivorId: 'pat-other', mergeId: 'mrg-2' };
    await handle('org.healthgraph.patient.unmerged.v1', merge);
    expect(await handle('org.healthgraph.patient.merged.v1', merge)).toEqual({ skipped: 'MERGE_ALREADY_UNDONE' });
    expect(await visitsOf('pat-late')).toEqual(['w1']);
  });
});
