import type { Queryable } from '../database/database.ts';
import type { PatientMergeNotice } from './catalog.ts';
import { reactionToEach, type Reaction, type SkipReason } from './reaction.ts';

/** What a merge handled after its unmerge did: nothing. */
export const mergeUndone: SkipReason = { skipped: 'MERGE_ALREADY_UNDONE' };

/** A table of a service's own that names patients: its key column and the column with the patient id. */
export interface PatientReference {
  table: string;
  key: string;
  column?: string;
}

/**
 * Points every row naming the merged patient to the survivor, and keeps which (a replay finds none
 * left to move). Resolves false, moving nothing, for a merge already undone here.
 */
export async function repointPatientReferences(tx: Queryable, references: readonly PatientReference[], notice: PatientMergeNotice): Promise<boolean> {
  const [followed] = await tx.query<{ undone: boolean }>(
    `INSERT INTO followed_patient_merge (merge_id, undone) VALUES ($1, false)
     ON CONFLICT (merge_id) DO UPDATE SET undone = followed_patient_merge.undone RETURNING undone`,
    [notice.mergeId],
  );
  if (followed!.undone) return false;
  for (const { table, key, column = 'patient_id' } of references) {
    await tx.query(
      `WITH moved AS (UPDATE ${table} SET ${column} = $2 WHERE ${column} = $1 RETURNING ${key}::text AS row_key)
       INSERT INTO repointed_patient_reference (merge_id, table_name, row_key, merged_patient_id, survivor_patient_id)
       SELECT $3, $4, row_key, $1, $2 FROM moved ON CONFLICT DO NOTHING`,
      [notice.patientId, notice.survivorId, notice.mergeId, table],
    );
  }
  return true;
}

/** Points back the rows the merge moved that still name the survivor; rows made for the survivor since stay its. */
export async function restorePatientReferences(tx: Queryable, references: readonly PatientReference[], notice: PatientMergeNotice): Promise<void> {
  for (const { table, key, column = 'patient_id' } of references) {
    await tx.query(
      `UPDATE ${table} SET ${column} = $1 WHERE ${column} = $2
         AND ${key}::text IN (SELECT row_key FROM repointed_patient_reference WHERE merge_id = $3 AND table_name = $4)`,
      [notice.patientId, notice.survivorId, notice.mergeId, table],
    );
  }
  await tx.query('DELETE FROM repointed_patient_reference WHERE merge_id = $1', [notice.mergeId]);
  await tx.query(
    'INSERT INTO followed_patient_merge (merge_id, undone) VALUES ($1, true) ON CONFLICT (merge_id) DO UPDATE SET undone = true',
    [notice.mergeId],
  );
}

/**
 * A service's consumer group following a data steward's merges: its references to a merged
 * patient move to the survivor, and back on unmerge. One group for both, so the log hands an
 * unmerge over after its merge; the inbox makes a redelivery a no-op, and a merge replayed from the
 * dead letters after its unmerge moves nothing.
 */
export const patientMergeReaction = (group: string, references: readonly PatientReference[]): Reaction =>
  reactionToEach(group, {
    'org.healthgraph.patient.merged.v1': async (tx, notice) => {
      if (!(await repointPatientReferences(tx, references, notice))) return mergeUndone;
    },
    'org.healthgraph.patient.unmerged.v1': (tx, notice) => restorePatientReferences(tx, references, notice),
  });
