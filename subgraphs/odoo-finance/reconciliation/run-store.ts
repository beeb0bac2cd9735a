import type { Queryable, Row } from '../../../platform/database/database.ts';
import { newId } from '../../../platform/ids.ts';
import type { FlowRunOutcome } from '../../../platform/operations/flow-status.ts';

export type ReconciliationTrigger = 'SCHEDULED' | 'ON_DEMAND';

/** A reconciliation run as `ReconciliationRun` in the graph. */
export interface ReconciliationRun {
  id: string;
  trigger: ReconciliationTrigger;
  slot: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: FlowRunOutcome;
  mismatches: number | null;
  errorCode: string | null;
  requestedBy: string | null;
}

export interface RunRequest {
  trigger: ReconciliationTrigger;
  /** The scheduled slot (SCHEDULED only). */
  slot?: Date;
  /** The token subject that asked (ON_DEMAND). */
  requestedBy?: string;
}

/** A run left RUNNING this long died with its replica: it no longer holds the next one back. */
const ABANDONED_AFTER_MINUTES = 60;

const runOf = (row: Row): ReconciliationRun => ({
  id: row.id as string,
  trigger: row.trigger as ReconciliationTrigger,
  slot: row.slot as Date | null,
  startedAt: row.started_at as Date,
  finishedAt: row.finished_at as Date | null,
  outcome: row.outcome as FlowRunOutcome,
  mismatches: row.mismatches as number | null,
  errorCode: row.error_code as string | null,
  requestedBy: row.requested_by as string | null,
});

/** SQL for the record of reconciliation runs: one per scheduled slot, one under way at a time. */
export class RunStore {
  constructor(private readonly db: Queryable) {}

  /** Records a run as started; undefined when its slot has one already, or another run is under way. */
  async start({ trigger, slot, requestedBy }: RunRequest): Promise<ReconciliationRun | undefined> {
    await this.db.query(
      `UPDATE reconciliation_run SET outcome = 'FAILED', finished_at = now(), error_code = 'ABANDONED'
       WHERE outcome = 'RUNNING' AND started_at < now() - make_interval(mins => $1)`,
      [ABANDONED_AFTER_MINUTES],
    );
    const [row] = await this.db.query(
      `INSERT INTO reconciliation_run (id, trigger, slot, requested_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *`,
      [newId('rec'), trigger, slot ?? null, requestedBy ?? null],
    );
    return row && runOf(row);
  }

  async finish(id: string, outcome: { mismatches: number } | { errorCode: string }): Promise<ReconciliationRun> {
    const [row] = await this.db.query(
      `UPDATE reconciliation_run SET finished_at = now(), outcome = $2, mismatches = $3, error_code = $4 WHERE id = $1 RETURNING *`,
      'mismatches' in outcome ? [id, 'SUCCEEDED', outcome.mismatches, null] : [id, 'FAILED', null, outcome.errorCode],
    );
    return runOf(row!);
  }

  /** Newest first. */
  async recent(limit: number): Promise<ReconciliationRun[]> {
    return (await this.db.query('SELECT * FROM reconciliation_run ORDER BY started_at DESC, id LIMIT $1', [limit])).map(runOf);
  }

  /** The run of a scheduled slot, if one was started. */
  async ofSlot(slot: Date): Promise<ReconciliationRun | undefined> {
    const [row] = await this.db.query('SELECT * FROM reconciliation_run WHERE slot = $1', [slot]);
    return row && runOf(row);
  }

  /** The last run that succeeded. */
  async lastSucceeded(): Promise<ReconciliationRun | undefined> {
    const [row] = await this.db.query(`SELECT * FROM reconciliation_run WHERE outcome = 'SUCCEEDED' ORDER BY coalesce(slot, started_at) DESC LIMIT 1`);
    return row && runOf(row);
  }
}
