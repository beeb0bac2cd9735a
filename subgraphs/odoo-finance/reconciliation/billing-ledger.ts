import type { Database } from '../../../platform/database/database.ts';

/** Billing's side of an invoice: its status, total, and what its payments add up to. */
export interface BillingInvoice {
  id: string;
  patientId: string;
  status: 'ISSUED' | 'BALANCED' | 'CANCELLED';
  totalCents: number;
  paidCents: number;
}

/**
 * Billing's invoices and the sum of their payments, from billing's own schema: one statement in a
 * read-only transaction, so totals and payments are of the same instant and nothing is written.
 * Only the reconciliation script reads another subgraph's tables (see scripts/reconcile.ts).
 */
export function readBillingLedger(billing: Database): Promise<BillingInvoice[]> {
  return billing.transaction(async (tx) => {
    await tx.query('SET TRANSACTION READ ONLY');
    const rows = await tx.query(
      `SELECT invoice.id, invoice.patient_id, invoice.status, invoice.total_cents, coalesce(sum(payment.amount_cents), 0) AS paid_cents
       FROM invoice LEFT JOIN payment ON payment.invoice_id = invoice.id
       GROUP BY invoice.id ORDER BY invoice.issued_at, invoice.id`,
    );
    // sum() of integers is a bigint, which the drivers hand back as a string.
    return rows.map((row) => ({
      id: row.id as string,
      patientId: row.patient_id as string,
      status: row.status as BillingInvoice['status'],
      totalCents: row.total_cents as number,
      paidCents: Number(row.paid_cents),
    }));
  });
}
