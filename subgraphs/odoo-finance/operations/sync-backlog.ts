import type { Queryable, Row } from '../../../platform/database/database.ts';
import type { Backlog } from '../../../platform/operations/flow-status.ts';
import type { RowScope } from '../../../platform/subgraph/row-scope.ts';
import { flowOf } from '../../../policies/flows.ts';

export type OdooSyncStatus = 'SYNCED' | 'WAITING' | 'DELAYED' | 'FAILING';

/** One invoice on its way into Odoo, as `OdooInvoiceSync` in the graph. Ids, counts, times and codes only. */
export interface OdooInvoiceSync {
  invoiceId: string;
  /** Whose invoice it is: noted as released, never a field of the answer. */
  patientId: string;
  invoiceNumber: string;
  appointmentIds: string[];
  status: OdooSyncStatus;
  invoiceSynced: boolean;
  paymentsWaiting: number;
  odooInvoiceId: number | null;
  waitingSince: Date | null;
  attempts: number;
  lastErrorCode: string | null;
  lastAttemptAt: Date | null;
}

const objectiveOf = (id: 'invoice-to-odoo' | 'payment-to-odoo') => flowOf(id, 'REAL_TIME').objectiveSeconds;

/**
 * Each invoice with what it still lacks in Odoo: the invoice itself (since invoice.issued reached the
 * sync) or billing payments (since the oldest was recorded). `$1`, `$2`: the objectives in seconds.
 */
const INVOICE_SYNC = `
  SELECT i.invoice_id, i.patient_id, i.number, i.appointment_ids, i.synced_at IS NOT NULL AS invoice_synced, i.odoo_move_id,
         i.push_failures, i.last_failure_code, i.last_push_at, count(p.payment_id)::int AS payments_waiting,
         CASE WHEN i.synced_at IS NULL THEN i.announced_at ELSE min(p.recorded_at) END AS waiting_since,
         CASE WHEN i.synced_at IS NULL THEN $1 ELSE $2 END::float8 AS objective_seconds
  FROM invoice_link AS i
  LEFT JOIN payment_link AS p ON p.invoice_id = i.invoice_id AND p.origin = 'billing' AND p.odoo_payment_id IS NULL`;

function statusOf(row: Row, now: Date): OdooSyncStatus {
  if (row.invoice_synced && row.payments_waiting === 0) return 'SYNCED';
  if ((row.push_failures as number) > 0) return 'FAILING';
  const waitedMs = now.getTime() - (row.waiting_since as Date).getTime();
  return waitedMs > (row.objective_seconds as number) * 1000 ? 'DELAYED' : 'WAITING';
}

const invoiceSyncOf = (row: Row, now: Date): OdooInvoiceSync => {
  const status = statusOf(row, now);
  return {
    invoiceId: row.invoice_id as string,
    patientId: row.patient_id as string,
    invoiceNumber: row.number as string,
    appointmentIds: row.appointment_ids as string[],
    status,
    invoiceSynced: row.invoice_synced as boolean,
    paymentsWaiting: row.payments_waiting as number,
    odooInvoiceId: row.odoo_move_id as number | null,
    waitingSince: status === 'SYNCED' ? null : (row.waiting_since as Date),
    attempts: row.push_failures as number,
    lastErrorCode: row.last_failure_code as string | null,
    lastAttemptAt: row.last_push_at as Date | null,
  };
};

const invoiceRule = { patient: (id: string) => `i.patient_id = ${id}` };

/** SQL over the sync's own records: what Odoo still lacks, and for how long. */
export class SyncBacklog {
  constructor(private readonly db: Queryable) {}

  /** One invoice's sync, within the caller's rows; undefined when the sync never heard of it. */
  async invoice(scope: RowScope, invoiceId: string, now = new Date()): Promise<OdooInvoiceSync | undefined> {
    const params: unknown[] = [objectiveOf('invoice-to-odoo'), objectiveOf('payment-to-odoo'), invoiceId];
    const visible = scope.condition(invoiceRule, params);
    const rows = await this.db.query(`${INVOICE_SYNC} WHERE i.invoice_id = $3 AND ${visible} GROUP BY i.invoice_id`, params);
    return scope.released(rows.map((row) => invoiceSyncOf(row, now)), (sync) => sync.patientId)[0];
  }

  /** Invoices that are DELAYED or FAILING, within the caller's rows, the longest waiting first. */
  async issues(scope: RowScope, limit: number, now = new Date()): Promise<OdooInvoiceSync[]> {
    const params: unknown[] = [objectiveOf('invoice-to-odoo'), objectiveOf('payment-to-odoo'), now, limit];
    const visible = scope.condition(invoiceRule, params);
    const rows = await this.db.query(
      `SELECT * FROM (${INVOICE_SYNC} WHERE ${visible} GROUP BY i.invoice_id) AS sync
       WHERE (NOT invoice_synced OR payments_waiting > 0)
         AND (push_failures > 0 OR waiting_since < $3::timestamptz - make_interval(secs => objective_seconds))
       ORDER BY waiting_since, invoice_id LIMIT $4`,
      params,
    );
    return scope.released(rows.map((row) => invoiceSyncOf(row, now)), (sync) => sync.patientId);
  }

  /** Invoices not in Odoo yet, and billing payments not registered there: how many, since when. */
  async waiting(): Promise<{ invoices: Backlog; payments: Backlog }> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*) FROM invoice_link WHERE synced_at IS NULL)::int AS invoices,
              (SELECT min(announced_at) FROM invoice_link WHERE synced_at IS NULL) AS oldest_invoice,
              (SELECT count(*) FROM payment_link WHERE origin = 'billing' AND odoo_payment_id IS NULL)::int AS payments,
              (SELECT min(recorded_at) FROM payment_link WHERE origin = 'billing' AND odoo_payment_id IS NULL) AS oldest_payment`,
    );
    const backlog = (waiting: unknown, oldest: unknown): Backlog => ({ waiting: Number(waiting ?? 0), ...(oldest ? { oldestSince: oldest as Date } : {}) });
    return { invoices: backlog(row?.invoices, row?.oldest_invoice), payments: backlog(row?.payments, row?.oldest_payment) };
  }
}
