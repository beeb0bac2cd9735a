import type { Database } from '../../platform/database/database.ts';
import { newId } from '../../platform/ids.ts';
import { RowScope } from '../../platform/subgraph/row-scope.ts';
import { indexPatients, matchRecordOf } from './match-index.ts';
import { MatchReviews, type ReviewEntry } from './match-review.ts';
import type { Grade } from './matching/matcher.ts';
import type { MatchRecord } from './matching/record.ts';
import { pairsOfKeys } from './matching/registry-blocking.ts';
import { DedupeScoring, type ScoredBatch } from './dedupe-scoring.ts';
import { PatientStore } from './patient-store.ts';
import { keepRegistryStatistics } from './registry-statistics.ts';

export interface DedupeReport {
  runId: string;
  resumed: boolean;
  patients: number;
  /** Candidate pairs (sharing a blocking key) scored by this run. */
  compared: number;
  /** Pairs found, by grade; certain and probable ones are in the review queue. */
  pairs: Record<Grade, number>;
  /** Groups of patients joined by certain pairs, and by certain or probable pairs: groups of two or more. */
  clusters: { certain: number; certainOrProbable: number };
}

/** Patients read a statement while the registry is loaded. */
const READ_BATCH = 50_000;

/**
 * Deduplicates the whole registry in id order: each patient is compared with the patients before
 * it that share a blocking key (the index's keys, matching/blocking.ts), so each pair is scored
 * once, with the registry's matcher. Patients registered before the index get their keys first.
 * The registry's comparison values are read once, in memory (a million patients are a few hundred
 * megabytes); blocking is done there too (registry-blocking.ts), not a query per patient, and
 * the scoring in worker threads for a large registry (dedupe-scoring.ts). Certain
 * and probable pairs open reviews for a data steward (a pair already on file keeps its entry),
 * `batchSize` patients a transaction; after each the run's position is kept: a run that stopped
 * resumes where it was, unless `restart`.
 */
export async function dedupeRegistry(db: Database, { batchSize = 2_000, restart = false, onBatch }: { batchSize?: number; restart?: boolean; onBatch?: (done: number) => void } = {}): Promise<DedupeReport> {
  const scope = RowScope.background('mpi:dedupe');
  const [unfinished] = restart ? [] : await db.query(`SELECT * FROM dedupe_run WHERE finished_at IS NULL ORDER BY started_at DESC LIMIT 1`);
  const runId = (unfinished?.id as string | undefined) ?? newId('ddp');
  if (!unfinished) await db.query('INSERT INTO dedupe_run (id) VALUES ($1)', [runId]);
  const resumeAfter = (unfinished?.last_patient_id as string | null | undefined) ?? null;
  const pairs: Record<Grade, number> = { CERTAIN: 0, PROBABLE: 0, POSSIBLE: 0, ...((unfinished?.pairs as Record<Grade, number> | undefined) ?? {}) };

  await indexUnindexed(new PatientStore(db, scope), db);
  const { ids, records } = await registryOf(new PatientStore(db, scope));
  // The first patient after the position kept: pairs whose later patient is before it were scored.
  let next = resumeAfter === null ? 0 : ids.length - (await new PatientStore(db, scope).countAfter(resumeAfter));
  const scoring = await DedupeScoring.start(records);
  await keepRegistryStatistics(db, scoring.statistics);
  const n = records.length;
  let patients = 0;
  let compared = 0;
  try {
    const { codes } = pairsOfKeys(scoring.keys, n, { from: next });
    compared = codes.length;
    scoring.usePairs(codes);
    // Batches of `batchSize` patients, each scored (in worker threads: a few ahead) and written in order.
    const batches: Array<{ end: number; scored: Promise<ScoredBatch> }> = [];
    let at = 0;
    const queue = () => {
      const start = batches.at(-1)?.end ?? next;
      if (start >= n) return;
      const end = Math.min(n, start + batchSize);
      const first = at;
      while (at < codes.length && codes[at]! < end * n) at++;
      batches.push({ end, scored: scoring.score(first, at) });
    };
    for (let i = 0; i < 8; i++) queue();
    while (batches.length > 0) {
      const { end, scored } = batches.shift()!;
      queue();
      const { counts, found } = await scored;
      const reviews: ReviewEntry[] = [];
      for (let i = 0; i < found.length; i += 4) {
        reviews.push({ patientId: ids[found[i]!]!, candidateId: ids[found[i + 1]!]!, grade: found[i + 2] === 0 ? 'CERTAIN' : 'PROBABLE', score: found[i + 3]!, status: 'OPEN', by: 'mpi:dedupe' });
      }
      for (const grade of ['CERTAIN', 'PROBABLE', 'POSSIBLE'] as const) pairs[grade] += counts[grade];
      await db.transaction(async (tx) => {
        await new MatchReviews(tx, scope).recordAll(reviews);
        await tx.query('UPDATE dedupe_run SET last_patient_id = $2, pairs = $3 WHERE id = $1', [runId, ids[end - 1], JSON.stringify(pairs)]);
      });
      patients += end - next;
      next = end;
      onBatch?.(patients);
    }
  } finally {
    await scoring.close();
  }
  await db.query('UPDATE dedupe_run SET finished_at = now() WHERE id = $1', [runId]);
  return { runId, resumed: Boolean(unfinished), patients, compared, pairs, clusters: await clustersOf(db) };
}

/** Gives the patients registered before the match index their keys. */
async function indexUnindexed(store: PatientStore, db: Database): Promise<void> {
  for (let after: string | null = null; ; ) {
    const batch = await store.unindexedPatientsAfter(after, READ_BATCH);
    if (batch.length === 0) return;
    await indexPatients(db, batch);
    after = batch.at(-1)!.id;
  }
}

/** Every patient in use, in id order, as the matcher compares them; the next batch is read while one is turned into records. */
async function registryOf(store: PatientStore): Promise<{ ids: string[]; records: MatchRecord[] }> {
  const ids: string[] = [];
  const records: MatchRecord[] = [];
  for (let batch = await store.matchablePatientsAfter(null, READ_BATCH); batch.length > 0; ) {
    const next = store.matchablePatientsAfter(batch.at(-1)!.id, READ_BATCH);
    for (const patient of batch) {
      ids.push(patient.id);
      records.push(matchRecordOf(patient));
    }
    batch = await next;
  }
  return { ids, records };
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
