import type { Database } from '../../../platform/database/database.ts';
import { describeFailure } from '../../../platform/events/failure.ts';
import type { OdooClient } from '../odoo/client.ts';
import { readAnnouncedLedger } from './announced-ledger.ts';
import { reconcile } from './reconcile.ts';
import { RunStore, type ReconciliationRun, type RunRequest } from './run-store.ts';

/**
 * A recorded reconciliation of billing's invoices as announced (see readAnnouncedLedger) with
 * Odoo's: resolves with the finished run, SUCCEEDED with the open mismatches counted or FAILED with
 * the failure's code; undefined when it did not start (its slot was run, or a run is under way).
 */
export async function runReconciliation(db: Database, odoo: OdooClient, request: RunRequest): Promise<ReconciliationRun | undefined> {
  const runs = new RunStore(db);
  const run = await runs.start(request);
  if (!run) return undefined;
  try {
    const open = await reconcile({ db, odoo, billing: await readAnnouncedLedger(db) });
    return await runs.finish(run.id, { mismatches: open.length });
  } catch (error) {
    return runs.finish(run.id, { errorCode: describeFailure(error).code });
  }
}
