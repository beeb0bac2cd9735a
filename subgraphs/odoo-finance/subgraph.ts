import type { Database } from '../../platform/database/database.ts';
import type { RouteHandler } from '../../platform/http/server.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { subgraphSdl } from '../../schema/catalog.ts';
import { odooFinanceContext, type OdooFinanceContext } from './context.ts';
import { odooReports } from './inbound/odoo-reports.ts';
import { ODOO_WEBHOOK_PATH, odooWebhook, type OdooWebhookSettings } from './inbound/odoo-webhook.ts';
import { NotReadyError } from '../../platform/http/readiness.ts';
import type { OdooClient } from './odoo/client.ts';
import { OdooConfigurationError } from './odoo/errors.ts';
import { resolvers } from './resolvers.ts';
import { defaultOdooSyncOptions, startOdooSync, type OdooSyncOptions } from './sync/odoo-sync.ts';
import { patientMergesInOdoo } from './sync/patient-merges.ts';
import { startReactions } from '../../platform/events/reaction.ts';
import { syncMetrics } from './sync-metrics.ts';
import { setting } from '../../platform/config.ts';
import type { DailySchedule } from '../../platform/operations/daily-schedule.ts';
import { odooFinanceOperations } from './operations/odoo-finance-operations.ts';
import { runReconciliation } from './reconciliation/reconciliation-run.ts';
import { RunStore } from './reconciliation/run-store.ts';
import { reconciliationScheduler } from './reconciliation/scheduler.ts';
import { reconciliationScheduleFromEnv } from './settings.ts';

export interface ReconciliationOptions {
  /** When the reconciliation flow runs; RECONCILIATION_TIME and RECONCILIATION_TIME_ZONE by default. */
  schedule: DailySchedule;
  /** Whether this service runs it on its schedule (RECONCILIATION_SCHEDULE). */
  scheduled: boolean;
  /** The clock the schedule is read by (tests move it). */
  now?: () => Date;
}

export interface OdooFinanceOptions {
  sync?: Partial<OdooSyncOptions>;
  reconciliation?: Partial<ReconciliationOptions>;
  /** The secret path token of the automation rules' webhook; no webhook without one. */
  webhookToken?: string;
  /** The Odoo login the front office's tasks are assigned to (ODOO_FRONT_OFFICE_LOGIN). */
  frontOfficeLogin?: string;
}

/**
 * The odoo-finance subgraph on `odoo`: the graph's view of Odoo, the Odoo sync as its worker, and
 * the webhook Odoo's automation rules call.
 */
export function odooFinanceSubgraph(odoo: OdooClient, { sync = {}, reconciliation = {}, webhookToken, frontOfficeLogin }: OdooFinanceOptions = {}): SubgraphModule<OdooFinanceContext> {
  const { schedule, scheduled, now } = { schedule: reconciliationScheduleFromEnv(), scheduled: setting('RECONCILIATION_SCHEDULE'), ...reconciliation };
  return {
    name: 'odoo-finance',
    sdl: subgraphSdl('odoo-finance'),
    migrations: new URL('./migrations/', import.meta.url),
    resolvers,
    context: (db) => odooFinanceContext(db, odoo, { frontOfficeLogin }),
    workers: (db, log, logger) => {
      const { maxAttempts, backoff } = { ...defaultOdooSyncOptions, ...sync };
      const loops = [startOdooSync({ db, log, odoo, logger, options: sync }), startReactions(db, log, [patientMergesInOdoo(odoo)], { maxAttempts, backoff }, logger)];
      if (scheduled) loops.push(reconciliationSchedulerOf(db, odoo, schedule, now).start(logger.child({ flow: 'reconciliation' })));
      return { close: async () => void (await Promise.all(loops.map((loop) => loop.close()))) };
    },
    routes: (db, logger) => (webhookToken ? odooFinanceRoutes(db, odoo, { token: webhookToken }, logger) : {}),
    ready: () => odooSettingsWork(odoo),
    metrics: (db) => syncMetrics(db, odoo),
    operations: (db) => odooFinanceOperations(db, odoo, schedule),
  };
}

/** The schedule run against this service's records: each slot's run recorded under the slot. */
export const reconciliationSchedulerOf = (db: Database, odoo: OdooClient, schedule: DailySchedule, now?: () => Date) =>
  reconciliationScheduler({
    schedule,
    now,
    runSlot: (slot) => runReconciliation(db, odoo, { trigger: 'SCHEDULED', slot }),
    slotTaken: async (slot) => (await new RunStore(db).ofSlot(slot)) !== undefined,
  });

/**
 * Not ready while the settings cannot work with the Odoo they name (JSON-2 on an Odoo before 19,
 * an unsupported version); an Odoo that is down is not a reason: the graph answers
 * UPSTREAM_UNAVAILABLE on the Odoo fields until it is back.
 */
async function odooSettingsWork(odoo: OdooClient): Promise<void> {
  try {
    await odoo.verify();
  } catch (error) {
    if (error instanceof OdooConfigurationError) throw new NotReadyError(error.message);
  }
}

/** What the service serves besides /graphql, by path prefix: the webhook of Odoo's automation rules. */
export const odooFinanceRoutes = (
  db: Database,
  odoo: OdooClient,
  webhook: Pick<OdooWebhookSettings, 'token' | 'rereadDelayMs'>,
  logger: Logger,
): Record<string, RouteHandler> => ({ [ODOO_WEBHOOK_PATH]: odooWebhook({ ...webhook, reports: odooReports(db, odoo), logger }) });
