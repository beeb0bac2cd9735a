import type { Queryable } from '../../../platform/database/database.ts';
import type { BillingInvoice } from './billing-ledger.ts';

/**
 * Billing's invoices as billing announced them to this service (invoice.issued, payment.posted, and
 * the payments Odoo reported), from its own records: what the scheduled and on-demand runs compare
 * with Odoo, so that no service reads another's tables. Billing announces no cancellation, so none
 * is CANCELLED here; an Odoo payment billing refused (over the balance) is counted as paid here.
 */
export async function readAnnouncedLedger(db: Queryable): Promise<BillingInvoice[]> {
  const rows = await db.query(
    `SELECT i.invoice_id, i.patient_id, i.total_cents, coalesce(sum(p.amount_cents), 0) AS paid_cents
     FROM invoice_link AS i LEFT JOIN payment_link AS p ON p.invoice_id = i.invoice_id
     GROUP BY i.invoice_id ORDER BY i.announced_at, i.invoice_id`,
  );
  return rows.map((row) => {
    // sum() of integers is a bigint, which the drivers hand back as a string.
    const paidCents = Number(row.paid_cents);
    const totalCents = row.total_cents as number;
    return { id: row.invoice_id as string, patientId: row.patient_id as string, status: paidCents >= totalCents ? 'BALANCED' : 'ISSUED', totalCents, paidCents };
  });
}
