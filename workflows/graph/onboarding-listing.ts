import type { Queryable } from '../../platform/database/database.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { OnboardingState } from '../onboarding/state.ts';
import { versionedName } from '../versioned-name.ts';

/** One onboarding as the listing holds it: ids, states, codes and times only. */
export interface OnboardingListing {
  id: string;
  definition: string;
  status: string;
  waitingOn: string | null;
  since: Date;
  startedAt: Date;
  updatedAt: Date;
  currentStep: string | null;
  patientId: string | null;
  reason: string | null;
}

export type OnboardingOrder = 'NEWEST_FIRST' | 'LONGEST_IN_STATUS_FIRST';

/** Where a page ended: the order's time and the id, which breaks ties. */
export interface ListingPosition {
  at: string;
  id: string;
}

export interface ListingQuery {
  statuses: readonly string[];
  waitingOn: string | null;
  order: OnboardingOrder;
  limit: number;
  after?: ListingPosition;
}

/** The step it waits in, the step that failed, or the last one recorded (undone steps aside). */
function currentStepOf(state: OnboardingState): string | null {
  if (state.status === 'WAITING' && state.waitingStep) return state.waitingStep;
  const steps = state.steps.filter((step) => step.status !== 'COMPENSATED').reverse();
  const failed = state.status === 'FAILED' ? steps.find((step) => step.status === 'FAILED') : undefined;
  return (failed ?? steps[0])?.name ?? null;
}

/** A started onboarding, listed QUEUED until a replica takes it and announces its state. */
export async function listQueued(db: Queryable, id: string, definition: string): Promise<void> {
  await db.query(
    `INSERT INTO onboarding_listing (id, definition, status, since, started_at, updated_at, announced)
     VALUES ($1, $2, 'QUEUED', now(), now(), now(), 0) ON CONFLICT (id) DO NOTHING`,
    [id, definition],
  );
}

/**
 * The `count`th announcement of an onboarding's state, in the listing. An announcement that runs
 * again after a crash, or arrives after a later one, changes nothing. `since` is the wait's start
 * while WAITING, otherwise when the status last changed.
 */
export async function listAnnounced(db: Queryable, state: OnboardingState, count: number): Promise<void> {
  await db.query(
    `INSERT INTO onboarding_listing AS listed (id, definition, status, waiting_on, since, current_step, patient_id, reason, started_at, updated_at, announced)
     VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6, $7, $8, now(), now(), $9)
     ON CONFLICT (id) DO UPDATE SET
       definition = excluded.definition, status = excluded.status, waiting_on = excluded.waiting_on,
       since = CASE WHEN $5::timestamptz IS NOT NULL THEN $5::timestamptz WHEN listed.status = excluded.status THEN listed.since ELSE now() END,
       current_step = excluded.current_step, patient_id = excluded.patient_id, reason = excluded.reason,
       updated_at = now(), announced = excluded.announced
     WHERE listed.announced < excluded.announced`,
    [
      state.id,
      versionedName(state.definition, state.version),
      state.status,
      state.status === 'WAITING' ? state.waitingOn : null,
      state.status === 'WAITING' ? (state.waitingSince ?? null) : null,
      currentStepOf(state),
      state.patientId ?? null,
      state.reason ?? null,
      count,
    ],
  );
}

/**
 * Onboardings the engine ended without their own end, listed FAILED (reason WORKFLOW_<engine
 * status>, as `onboarding(id)` answers them): no announcement says so, since the workflow did not
 * run to its end. Those that announced an end of their own keep it.
 */
export async function listEndedByEngine(db: Queryable, endedOf: (ids: readonly string[]) => Promise<ReadonlyArray<{ id: string; engineStatus: string; at: Date }>>): Promise<void> {
  // Only onboardings the listing still shows running are asked about: the engine's ended ones pile up forever.
  const running = await db.query<{ id: string }>(`SELECT id FROM onboarding_listing WHERE status NOT IN ('COMPLETED', 'STOPPED', 'FAILED')`);
  const ended = await endedOf(running.map(({ id }) => id));
  if (ended.length === 0) return;
  await db.query(
    `UPDATE onboarding_listing AS listed SET status = 'FAILED', waiting_on = NULL, reason = 'WORKFLOW_' || ended.engine_status, since = ended.at, updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS ended (id, engine_status, at)
     WHERE listed.id = ended.id AND listed.status NOT IN ('COMPLETED', 'STOPPED', 'FAILED')`,
    [ended.map(({ id }) => id), ended.map(({ engineStatus }) => engineStatus), ended.map(({ at }) => at.toISOString())],
  );
}

const ORDERS: Record<OnboardingOrder, { by: string; direction: 'ASC' | 'DESC'; column: 'since' | 'started_at' }> = {
  NEWEST_FIRST: { by: 'started_at DESC, id DESC', direction: 'DESC', column: 'started_at' },
  LONGEST_IN_STATUS_FIRST: { by: 'since ASC, id ASC', direction: 'ASC', column: 'since' },
};

type ListingRow = {
  id: string;
  definition: string;
  status: string;
  waiting_on: string | null;
  since: Date;
  started_at: Date;
  updated_at: Date;
  current_step: string | null;
  patient_id: string | null;
  reason: string | null;
};

/** The listing as a request reads it: rows its scope reaches, each listed patient noted released. */
export class OnboardingListings {
  constructor(private readonly db: Queryable) {}

  /** Up to `limit` onboardings after `after`, with the position each ends at, and whether more follow. */
  async list(scope: RowScope, { statuses, waitingOn, order, limit, after }: ListingQuery): Promise<{ page: Array<{ listing: OnboardingListing; position: ListingPosition }>; hasNextPage: boolean }> {
    const { by, direction, column } = ORDERS[order];
    const params: unknown[] = [statuses];
    const conditions = ['status = ANY($1::text[])', scope.condition({ patient: (placeholder) => `patient_id = ${placeholder}` }, params)];
    if (waitingOn) conditions.push(`waiting_on = $${params.push(waitingOn)}`);
    if (after) conditions.push(`(${column}, id) ${direction === 'ASC' ? '>' : '<'} ($${params.push(after.at)}::timestamptz, $${params.push(after.id)})`);
    const rows = await this.db.query<ListingRow>(
      `SELECT id, definition, status, waiting_on, since, started_at, updated_at, current_step, patient_id, reason
       FROM onboarding_listing WHERE ${conditions.join(' AND ')} ORDER BY ${by} LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit).map((row) => ({
      listing: {
        id: row.id,
        definition: row.definition,
        status: row.status,
        waitingOn: row.waiting_on,
        since: row.since,
        startedAt: row.started_at,
        updatedAt: row.updated_at,
        currentStep: row.current_step,
        patientId: row.patient_id,
        reason: row.reason,
      },
      position: { at: (column === 'since' ? row.since : row.started_at).toISOString(), id: row.id },
    }));
    // Only those answered are released: the row read to know whether more follow is not.
    return { page: scope.released(page, ({ listing }) => listing.patientId), hasNextPage: rows.length > limit };
  }
}
