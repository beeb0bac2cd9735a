import type { Queryable, Row } from '../../platform/database/database.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { Grade } from './matching/matcher.ts';

export type ReviewStatus = 'OPEN' | 'NOT_DUPLICATE' | 'LINKED';

export interface MatchReview {
  id: string;
  patientId: string;
  candidateId: string;
  grade: Grade;
  score: number;
  status: ReviewStatus;
  openedBy: string | null;
  openedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

const toReview = (row: Row): MatchReview => ({
  id: row.id as string,
  patientId: row.patient_id as string,
  candidateId: row.candidate_id as string,
  grade: row.grade as Grade,
  score: row.score as number,
  status: row.status as ReviewStatus,
  openedBy: (row.opened_by as string | null) ?? null,
  openedAt: row.opened_at as Date,
  decidedBy: (row.decided_by as string | null) ?? null,
  decidedAt: (row.decided_at as Date | null) ?? null,
});

export interface ReviewEntry {
  patientId: string;
  candidateId: string;
  grade: Grade;
  score: number;
  status: ReviewStatus;
  by: string | null;
}

/** Possible duplicates and what was decided about them. Every read is over two patients: both are released. */
export class MatchReviews {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
  ) {}

  /** Opens a review of a pair, or records a decision already taken; a pair already on file keeps its first entry. */
  async record(entry: ReviewEntry): Promise<void> {
    await this.recordAll([entry]);
  }

  /** `record` for many pairs in one statement (a batch deduplication's). */
  async recordAll(entries: readonly ReviewEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const column = <T>(value: (entry: ReviewEntry) => T) => entries.map(value);
    await this.db.query(
      `INSERT INTO match_review (id, patient_id, candidate_id, grade, score, status, opened_by, decided_by, decided_at)
       SELECT id, patient_id, candidate_id, grade, score, status, opened_by, CASE WHEN status <> 'OPEN' THEN opened_by END, CASE WHEN status <> 'OPEN' THEN now() END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS t (id, patient_id, candidate_id, grade, score, status, opened_by)
       ON CONFLICT (patient_id, candidate_id) DO NOTHING`,
      [
        column(() => newId('mrv')),
        column((entry) => entry.patientId),
        column((entry) => entry.candidateId),
        column((entry) => entry.grade),
        column((entry) => entry.score),
        column((entry) => entry.status),
        column((entry) => entry.by),
      ],
    );
  }

  /** A steward's decision on an open review; a review already decided stays as it was (CONFLICT). */
  async decide(id: string, decision: Exclude<ReviewStatus, 'OPEN'>, by: string | null): Promise<MatchReview> {
    const [row] = await this.db.query(
      `UPDATE match_review SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND status = 'OPEN' RETURNING *`,
      [id, decision, by],
    );
    if (!row) {
      const [existing] = await this.db.query('SELECT status FROM match_review WHERE id = $1', [id]);
      if (!existing) throw notFound('MatchReview', id);
      throw conflict('REVIEW_ALREADY_DECIDED', `Review ${id} was already decided`, { id });
    }
    const review = toReview(row);
    this.scope.released([review.patientId, review.candidateId], (patientId) => patientId);
    return review;
  }

  /** Reviews with `status`, oldest first. Only staff and background work see them: they name two patients each. */
  async list(status: ReviewStatus, limit: number): Promise<MatchReview[]> {
    if (!this.scope.everyRow) return [];
    const reviews = (await this.db.query('SELECT * FROM match_review WHERE status = $1 ORDER BY opened_at, id LIMIT $2', [status, limit])).map(toReview);
    this.scope.released(reviews.flatMap((review) => [review.patientId, review.candidateId]), (id) => id);
    return reviews;
  }
}
