import type { Database } from '../../../platform/database/database.ts';
import type { DailySchedule } from '../../../platform/operations/daily-schedule.ts';
import { slotsAround } from '../../../platform/operations/daily-schedule.ts';
import { batchStatus, realTimeStatus, type FlowStatus, type LastRun } from '../../../platform/operations/flow-status.ts';
import type { OperationsOptions } from '../../../platform/subgraph/service-operations.ts';
import { flowOf } from '../../../policies/flows.ts';
import type { OdooClient } from '../odoo/client.ts';
import { RunStore, type ReconciliationRun } from '../reconciliation/run-store.ts';
import { ODOO_SYNC_GROUP } from '../sync/odoo-sync.ts';
import { ODOO_PATIENT_MERGES_GROUP } from '../sync/patient-merges.ts';
import { odooCheck } from './odoo-health.ts';
import { SyncBacklog } from './sync-backlog.ts';

const lastRunOf = (run: ReconciliationRun | undefined): LastRun | undefined => run && { at: run.slot ?? run.startedAt, outcome: run.outcome };

/** The reconciliation flow against its schedule: the last successful run against the slot due last. */
async function reconciliationStatus(db: Database, schedule: DailySchedule, now: Date): Promise<FlowStatus> {
  const runs = new RunStore(db);
  const { previous, next } = slotsAround(now, schedule);
  const [[last], succeeded] = await Promise.all([runs.recent(1), runs.lastSucceeded()]);
  return batchStatus(flowOf('reconciliation', 'BATCH'), { previousSlot: previous, nextSlot: next, timeZone: schedule.timeZone, dailyAt: schedule.at }, lastRunOf(succeeded), lastRunOf(last), now);
}

/** What odoo-finance's operational state holds: the sync's group, Odoo, and the flows it owns. */
export function odooFinanceOperations(db: Database, odoo: OdooClient, schedule: DailySchedule): OperationsOptions {
  const backlog = new SyncBacklog(db);
  return {
    consumerGroups: [ODOO_SYNC_GROUP, ODOO_PATIENT_MERGES_GROUP],
    dependencies: [odooCheck(odoo)],
    spanServices: ['odoo'],
    flows: {
      'invoice-to-odoo': async (now) => realTimeStatus(flowOf('invoice-to-odoo', 'REAL_TIME'), (await backlog.waiting()).invoices, now),
      'payment-to-odoo': async (now) => realTimeStatus(flowOf('payment-to-odoo', 'REAL_TIME'), (await backlog.waiting()).payments, now),
      reconciliation: (now) => reconciliationStatus(db, schedule, now),
    },
  };
}
