import type { Queryable, Row } from '../../platform/database/database.ts';
import type { DemographicField } from '../../platform/events/catalog.ts';
import { emit } from '../../platform/events/outbox.ts';
import { badInput, conflict, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { SurvivingField } from '../../policies/survivorship.ts';
import { indexPatient } from './match-index.ts';
import { toPatient } from './patient-store.ts';
import { applySurvivorship, survivingValuesOf, type SurvivingValues } from './survivorship.ts';

/** A steward's merge of one record into another, as kept for its unmerge and the audit. */
export interface PatientMerge {
  id: string;
  survivorId: string;
  mergedId: string;
  reason: string;
  mergedBy: string | null;
  mergedAt: Date;
  /** The survivor's fields that took the merged record's value. */
  fieldsTaken: SurvivingField[];
  unmergeReason: string | null;
  unmergedBy: string | null;
  unmergedAt: Date | null;
}

const toMerge = (row: Row): PatientMerge => ({
  id: row.id as string,
  survivorId: row.survivor_id as string,
  mergedId: row.merged_id as string,
  reason: row.reason as string,
  mergedBy: (row.merged_by as string | null) ?? null,
  mergedAt: row.merged_at as Date,
  fieldsTaken: Object.keys(row.survivor_after as object) as SurvivingField[],
  unmergeReason: (row.unmerge_reason as string | null) ?? null,
  unmergedBy: (row.unmerged_by as string | null) ?? null,
  unmergedAt: (row.unmerged_at as Date | null) ?? null,
});

/** Each field's columns and how its value is stored. */
const columns: Record<SurvivingField, (value: unknown) => Array<[string, unknown]>> = {
  name: (value) => {
    const name = value as SurvivingValues['name'];
    return [['family_name', name.family], ['given_names', name.given]];
  },
  birthDate: (value) => [['birth_date', value]],
  gender: (value) => [['gender', value]],
  nationalIdentifier: (value) => [['national_identifier', value ?? null]],
  telecom: (value) => [['telecom', JSON.stringify(value ?? [])]],
  address: (value) => [['address', value ? JSON.stringify(value) : null]],
};

const demographicFields: readonly SurvivingField[] = ['name', 'birthDate', 'gender', 'telecom', 'address'] satisfies DemographicField[];

/**
 * Merges and unmerges of patient records, in the caller's transaction, each announced
 * (patient.merged, patient.unmerged) for the services that hold references to patients. Events
 * name ids, never values; the steward's reason stays in this table.
 */
export class PatientMerges {
  constructor(
    private readonly tx: Queryable,
    private readonly scope: RowScope,
  ) {}

  /**
   * `mergedId` becomes replaced by `survivorId`: the survivor takes the values survivorship gives
   * it, and the merged record's coverages and consents; the merged record is kept as it was.
   */
  async merge(survivorId: string, mergedId: string, reason: string, by: string | null): Promise<PatientMerge> {
    if (survivorId === mergedId) throw badInput('A patient cannot be merged into itself', { reason: 'MERGE_WITH_ITSELF', field: 'mergedId' });
    const rows = await this.tx.query('SELECT * FROM patient WHERE id = ANY($1) ORDER BY id FOR UPDATE', [[survivorId, mergedId]]);
    const row = (id: string) => rows.find((candidate) => candidate.id === id) ?? this.fail(notFound('Patient', id));
    const survivor = row(survivorId);
    const merged = row(mergedId);
    for (const side of [merged, survivor]) {
      if (side.replaced_by) throw conflict('PATIENT_MERGED', `Patient ${side.id} is merged into patient ${side.replaced_by}`, { patientId: side.id, replacedBy: side.replaced_by });
    }
    const { before, after } = applySurvivorship(
      { values: survivingValuesOf(toPatient(survivor)), updatedAt: survivor.updated_at as Date },
      { values: survivingValuesOf(toPatient(merged)), updatedAt: merged.updated_at as Date },
    );
    await this.setValues(survivorId, after);
    const coverageIds = await this.moveRows('coverage', mergedId, survivorId);
    const consentIds = await this.moveRows('consent', mergedId, survivorId);
    await this.tx.query('UPDATE patient SET replaced_by = $2 WHERE id = $1', [mergedId, survivorId]);
    // The merged record is no candidate any more; a pair left open for review is decided by this merge.
    await this.tx.query('DELETE FROM patient_match_key WHERE patient_id = $1', [mergedId]);
    await this.reindex(survivorId);
    await this.tx.query(
      `UPDATE match_review SET status = 'LINKED', decided_by = $3, decided_at = now()
       WHERE status = 'OPEN' AND ((patient_id = $1 AND candidate_id = $2) OR (patient_id = $2 AND candidate_id = $1))`,
      [survivorId, mergedId, by],
    );
    const [merge] = await this.tx.query(
      `INSERT INTO patient_merge (id, survivor_id, merged_id, reason, merged_by, survivor_before, survivor_after, coverage_ids, consent_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [newId('mrg'), survivorId, mergedId, reason, by, JSON.stringify(before), JSON.stringify(after), coverageIds, consentIds],
    );
    const record = toMerge(merge!);
    await emit(this.tx, 'org.healthgraph.patient.merged.v1', { patientId: mergedId, survivorId, mergeId: record.id });
    await this.announceChanged(survivorId, Object.keys(after) as SurvivingField[]);
    return this.released(record);
  }

  /**
   * Undoes the merge in force of `mergedId`: the record is in use again with its coverages and
   * consents, and each survivor field the merge changed gets its value back unless it was changed
   * since. A survivor merged in turn is unmerged first (CONFLICT, PATIENT_MERGED).
   */
  async unmerge(mergedId: string, reason: string, by: string | null): Promise<PatientMerge> {
    const [merge] = await this.tx.query('SELECT * FROM patient_merge WHERE merged_id = $1 AND unmerged_at IS NULL FOR UPDATE', [mergedId]);
    if (!merge) {
      const [patient] = await this.tx.query('SELECT id FROM patient WHERE id = $1', [mergedId]);
      if (!patient) throw notFound('Patient', mergedId);
      throw conflict('PATIENT_NOT_MERGED', `Patient ${mergedId} is not merged into another`, { patientId: mergedId });
    }
    const survivorId = merge.survivor_id as string;
    const [survivor] = await this.tx.query('SELECT * FROM patient WHERE id = $1 FOR UPDATE', [survivorId]);
    if (survivor!.replaced_by) {
      throw conflict('PATIENT_MERGED', `Patient ${survivorId} is merged into patient ${survivor!.replaced_by}`, { patientId: survivorId, replacedBy: survivor!.replaced_by });
    }
    const current = survivingValuesOf(toPatient(survivor!)) as Record<string, unknown>;
    const before = merge.survivor_before as Record<string, unknown>;
    const after = merge.survivor_after as Record<string, unknown>;
    const untouched = Object.fromEntries(Object.keys(after).filter((field) => JSON.stringify(current[field]) === JSON.stringify(after[field])).map((field) => [field, before[field]]));
    await this.setValues(survivorId, untouched as Partial<SurvivingValues>);
    await this.tx.query('UPDATE coverage SET patient_id = $1 WHERE id = ANY($2) AND patient_id = $3', [mergedId, merge.coverage_ids, survivorId]);
    await this.tx.query('UPDATE consent SET patient_id = $1 WHERE id = ANY($2) AND patient_id = $3', [mergedId, merge.consent_ids, survivorId]);
    await this.tx.query('UPDATE patient SET replaced_by = NULL WHERE id = $1', [mergedId]);
    await this.reindex(mergedId);
    await this.reindex(survivorId);
    const [unmerged] = await this.tx.query(
      'UPDATE patient_merge SET unmerge_reason = $2, unmerged_by = $3, unmerged_at = now() WHERE id = $1 RETURNING *',
      [merge.id, reason, by],
    );
    const record = toMerge(unmerged!);
    await emit(this.tx, 'org.healthgraph.patient.unmerged.v1', { patientId: mergedId, survivorId, mergeId: record.id });
    await this.announceChanged(survivorId, Object.keys(untouched) as SurvivingField[]);
    return this.released(record);
  }

  private fail(error: Error): never {
    throw error;
  }

  /** Both records are named by what the merge answers: both go on record. */
  private released(merge: PatientMerge): PatientMerge {
    this.scope.released([merge.survivorId, merge.mergedId], (id) => id);
    return merge;
  }

  private async setValues(patientId: string, values: Partial<SurvivingValues>): Promise<void> {
    const assignments = (Object.entries(values) as Array<[SurvivingField, unknown]>).flatMap(([field, value]) => columns[field](value));
    if (assignments.length === 0) return;
    const set = assignments.map(([column], index) => `${column} = $${index + 2}`).join(', ');
    await this.tx.query(`UPDATE patient SET ${set} WHERE id = $1`, [patientId, ...assignments.map(([, value]) => value)]);
  }

  private async moveRows(table: 'coverage' | 'consent', from: string, to: string): Promise<string[]> {
    const moved = await this.tx.query<{ id: string }>(`UPDATE ${table} SET patient_id = $2 WHERE patient_id = $1 RETURNING id`, [from, to]);
    return moved.map((row) => row.id).sort();
  }

  private async reindex(patientId: string): Promise<void> {
    const [row] = await this.tx.query('SELECT * FROM patient WHERE id = $1', [patientId]);
    await indexPatient(this.tx, toPatient(row!));
  }

  /** A survivor whose demographics a merge or unmerge changed is announced as updated, like any change. */
  private async announceChanged(patientId: string, fields: readonly SurvivingField[]): Promise<void> {
    const changed = fields.filter((field): field is DemographicField => demographicFields.includes(field));
    if (changed.length > 0) await emit(this.tx, 'org.healthgraph.patient.updated.v1', { patientId, changed });
  }
}
