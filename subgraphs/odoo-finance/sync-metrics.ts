import type { Queryable } from '../../platform/database/database.ts';
import {
  odooBreakerState,
  oldestUnsyncedInvoiceAge,
  reconciliationMismatches,
  syncBacklog,
} from '../../platform/observability/metrics.ts';
import type { Sampler } from '../../platform/observability/metrics-route.ts';
import type { OdooClient } from './odoo/client.ts';

const breakerStates = ['closed', 'half-open', 'open'] as const;

/** What waits for Odoo, how long the oldest invoice has waited, the open mismatches and the breaker, read at scrape time. */
export const syncMetrics =
  (db: Queryable, odoo: OdooClient): Sampler =>
  async () => {
    for (const state of breakerStates) odooBreakerState.set({ state }, odoo.circuitState === state ? 1 : 0);
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM invoice_link WHERE synced_at IS NULL)::int AS invoices,
              (SELECT count(*) FROM payment_link WHERE origin = 'billing' AND odoo_payment_id IS NULL)::int AS payments,
              (SELECT coalesce(extract(epoch FROM now() - min(announced_at)), 0) FROM invoice_link WHERE synced_at IS NULL)::float8 AS oldest,
              (SELECT count(*) FROM reconciliation_mismatch)::int AS mismatches`,
    );
    syncBacklog.set({ kind: 'invoice' }, Number(row?.invoices ?? 0));
    syncBacklog.set({ kind: 'payment' }, Number(row?.payments ?? 0));
    oldestUnsyncedInvoiceAge.set(Number(row?.oldest ?? 0));
    reconciliationMismatches.set(Number(row?.mismatches ?? 0));
  };
