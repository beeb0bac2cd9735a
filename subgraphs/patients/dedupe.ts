import type { Database } from '../../platform/database/database.ts';
import { newId } from '../../platform/ids.ts';
import { RowScope } from '../../platform/subgraph/row-scope.ts';
import { indexPatient } from './match-index.ts';
import { MatchReviews } from './match-review.ts';
import type { Grade } from './matching/matcher.ts';
import { scoreCandidates } from './patient-matching.ts';
import { PatientStore } from './patient-store.ts';

export interface DedupeReport {
  runId: string;
  resumed: boolean;
  patients: number;
  /** Pairs found, by grade; certain and probable ones are in the review queue. */
  pairs: Record<Grade, number>;
  /** Groups of patients joined by certain pairs, and by certain or probable pairs: groups of two or more. */
  clusters: { certain: number; certainOrProbable: number };
}

/**
 * Deduplicates the whole registry in id order, `batchSize` patients a transaction: indexes each
 * patient's blocking keys (patients registered before the index get theirs) and compares it with
 * the patients before it, so each pair is scored once. Certain and probable pairs open reviews for
 * a data steward (a pair already on file keeps its entry). After each batch the run's position is
 * kept: a run that stopped resumes where it was, unless `restart`.
 */
export async function dedupeRegistry(db: Database, { batchSize = 500, restart = false, onBatch }: { batchSize?: number; restart?: boolean; onBatch?: (done: number) => void } = {}): Promise<DedupeReport> {
  const scope = RowScope.background('mpi:dedupe');
  const [unfinished] = restart ? [] : await db.query(`SELECT * FROM dedupe_run WHERE finished_at IS NULL ORDER BY started_at DESC LIMIT 1`);
  const runId = (unfinished?.id as string | undefined) ?? newId('ddp');
  if (!unfinished) await db.query('INSERT INTO dedupe_run (id) VALUES ($1)', [runId]);
  let last = (unfinished?.last_patient_id as string | null | undefined) ?? null;
  const pairs: Record<Grade, number> = { CERTAIN: 0, PROBABLE: 0, POSSIBLE: 0, ...((unfinished?.pairs as Record<Grade, number> | undefined) ?? {}) };
  let patients = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const store = new PatientStore(tx, scope);
      const batch = await store.patientsAfter(last, batchSize);
      if (batch.length === 0) return true;
      const reviews = new MatchReviews(tx, scope);
      for (const patient of batch) {
        await indexPatient(tx, patient);
        const matches = (await scoreCandidates(store, patient, { count: 50 })).filter((match) => match.patient.id < patient.id);
        for (const match of matches) {
          pairs[match.grade]++;
          if (match.grade !== 'POSSIBLE') await reviews.record({ patientId: patient.id, candidateId: match.patient.id, grade: match.grade, score: match.score, status: 'OPEN', by: 'mpi:dedupe' });
        }
      }
      last = batch.at(-1)!.id;
      patients += batch.length;
      await tx.query('UPDATE dedupe_run SET last_patient_id = $2, pairs = $3 WHERE id = $1', [runId, last, JSON.stringify(pairs)]);
      return false;
    });
    if (done) break;
    onBatch?.(patients);
  }
  await db.query('UPDATE dedupe_run SET finished_at = now() WHERE id = $1', [runId]);
  return { runId, resumed: Boolean(unfinished), patients, pairs, clusters: await clustersOf(db) };
}

/** Groups of two or more patients joined by the open or linked reviews of these grades (union–find). */
async function clustersOf(db: Database): Promise<DedupeReport['clusters']> {
  const rows = await db.query<{ patient_id: string; candidate_id: string; grade: Grade }>(
    `SELECT patient_id, candidate_id, grade FROM match_review WHERE status IN ('OPEN', 'LINKED') AND grade IN ('CERTAIN', 'PROBABLE')`,
  );
  const count = (grades: readonly Grade[]) => {
    const parent = new Map<string, string>();
    const root = (id: string): string => {
      let node = id;
      while (parent.get(node) !== undefined && parent.get(node) !== node) node = parent.get(node)!;
      parent.set(id, node);
      return node;
    };
    for (const row of rows.filter((entry) => grades.includes(entry.grade))) {
      for (const id of [row.patient_id, row.candidate_id]) if (!parent.has(id)) parent.set(id, id);
      parent.set(root(row.patient_id), root(row.candidate_id));
    }
    return new Set([...parent.keys()].map(root)).size;
  };
  return { certain: count(['CERTAIN']), certainOrProbable: count(['CERTAIN', 'PROBABLE']) };
}
