import type { Queryable, Row } from '../../platform/database/database.ts';
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

/** Possible duplicates and what was decided about them. Every read is over two patients: both are released. */
export class MatchReviews {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
  ) {}

  /** Opens a review of a pair, or records a decision already taken; a pair already on file keeps its first entry. */
  async record(entry: { patientId: string; candidateId: string; grade: Grade; score: number; status: ReviewStatus; by: string | null }): Promise<void> {
    const decided = entry.status !== 'OPEN';
    await this.db.query(
      `INSERT INTO match_review (id, patient_id, candidate_id, grade, score, status, opened_by, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::boolean THEN now() END)
       ON CONFLICT (patient_id, candidate_id) DO NOTHING`,
      [newId('mrv'), entry.patientId, entry.candidateId, entry.grade, entry.score, entry.status, entry.by, decided ? entry.by : null, decided],
    );
  }

  /** Reviews with `status`, oldest first. Only staff and background work see them: they name two patients each. */
  async list(status: ReviewStatus, limit: number): Promise<MatchReview[]> {
    if (!this.scope.everyRow) return [];
    const reviews = (await this.db.query('SELECT * FROM match_review WHERE status = $1 ORDER BY opened_at, id LIMIT $2', [status, limit])).map(toReview);
    this.scope.released(reviews.flatMap((review) => [review.patientId, review.candidateId]), (id) => id);
    return reviews;
  }
}
