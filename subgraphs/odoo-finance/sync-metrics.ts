import type { Queryable } from '../../platform/database/database.ts';
import {
  odooBreakerState,
  oldestUnsyncedInvoiceAge,
  reconciliationMismatches,
  syncBacklog,
} from '../../platform/observability/metrics.ts';
import type { Sampler } from '../../platform/observability/metrics-route.ts';
import type { OdooClient } from './odoo/client.ts';
import { SyncBacklog } from './operations/sync-backlog.ts';

const breakerStates = ['closed', 'half-open', 'open'] as const;

/** What waits for Odoo, how long the oldest invoice has waited, the open mismatches and the breaker, read at scrape time. */
export const syncMetrics =
  (db: Queryable, odoo: OdooClient): Sampler =>
  async () => {
    for (const state of breakerStates) odooBreakerState.set({ state }, odoo.circuitState === state ? 1 : 0);
    const { invoices, payments } = await new SyncBacklog(db).waiting();
    const [row] = await db.query('SELECT count(*)::int AS mismatches FROM reconciliation_mismatch');
    syncBacklog.set({ kind: 'invoice' }, invoices.waiting);
    syncBacklog.set({ kind: 'payment' }, payments.waiting);
    oldestUnsyncedInvoiceAge.set(invoices.oldestSince ? (Date.now() - invoices.oldestSince.getTime()) / 1000 : 0);
    reconciliationMismatches.set(Number(row?.mismatches ?? 0));
  };
