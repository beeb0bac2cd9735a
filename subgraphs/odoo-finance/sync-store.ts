import type { Queryable, Row } from '../../platform/database/database.ts';
import type { InvoicedLine, PaymentOrigin } from '../../platform/events/catalog.ts';
import type { CustomerInvoice } from './accounting/customer-invoice.ts';

/** A billing invoice as invoice.issued announced it, and what the sync knows of it in Odoo. */
export interface InvoiceLink {
  invoiceId: string;
  patientId: string;
  number: string;
  issuedOn: string;
  dueDate: string;
  totalCents: number;
  lines: InvoicedLine[];
  /** The appointments it bills, as billing announced them. */
  appointmentIds: string[];
  odooMoveId: number | null;
  synced: boolean;
  /** Odoo's side as last read, in Odoo's words. */
  odooState: string | null;
  odooPaymentState: string | null;
  odooResidualCents: number | null;
}

export type IssuedInvoice = Omit<InvoiceLink, 'odooMoveId' | 'synced' | 'odooState' | 'odooPaymentState' | 'odooResidualCents'>;

export interface PaymentLink {
  paymentId: string;
  invoiceId: string;
  amountCents: number;
  receivedOn: string;
  origin: PaymentOrigin;
  odooPaymentId: number | null;
}

const invoiceLinkOf = (row: Row): InvoiceLink => ({
  invoiceId: row.invoice_id as string,
  patientId: row.patient_id as string,
  number: row.number as string,
  issuedOn: row.issued_on as string,
  dueDate: row.due_date as string,
  totalCents: row.total_cents as number,
  lines: row.lines as InvoicedLine[],
  appointmentIds: row.appointment_ids as string[],
  odooMoveId: row.odoo_move_id as number | null,
  synced: row.synced_at !== null,
  odooState: row.odoo_state as string | null,
  odooPaymentState: row.odoo_payment_state as string | null,
  odooResidualCents: row.odoo_residual_cents as number | null,
});

const paymentLinkOf = (row: Row): PaymentLink => ({
  paymentId: row.payment_id as string,
  invoiceId: row.invoice_id as string,
  amountCents: row.amount_cents as number,
  receivedOn: row.received_on as string,
  origin: row.origin as PaymentOrigin,
  odooPaymentId: row.odoo_payment_id as number | null,
});

/** SQL for the subgraph's own records: which billing invoice, payment and patient is which Odoo record. */
export class SyncStore {
  constructor(private readonly db: Queryable) {}

  async partnerOf(patientId: string): Promise<number | undefined> {
    const [row] = await this.db.query('SELECT odoo_partner_id FROM partner_link WHERE patient_id = $1', [patientId]);
    return row?.odoo_partner_id as number | undefined;
  }

  async linkPartner(patientId: string, partnerId: number): Promise<void> {
    await this.db.query('INSERT INTO partner_link (patient_id, odoo_partner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [patientId, partnerId]);
  }

  async unlinkPartner(patientId: string): Promise<void> {
    await this.db.query('DELETE FROM partner_link WHERE patient_id = $1', [patientId]);
  }

  /** Patient id by Odoo partner id, for every patient with an account. */
  async patientsByPartner(): Promise<Map<number, string>> {
    const rows = await this.db.query('SELECT patient_id, odoo_partner_id FROM partner_link');
    return new Map(rows.map((row) => [row.odoo_partner_id as number, row.patient_id as string]));
  }

  async invoiceLinks(invoiceIds: readonly string[]): Promise<InvoiceLink[]> {
    return (await this.db.query('SELECT * FROM invoice_link WHERE invoice_id = ANY($1)', [invoiceIds])).map(invoiceLinkOf);
  }

  /** The link of an Odoo invoice, by its id or by its ref (billing's id, before the sync recorded the id), locked until the transaction ends. */
  async lockInvoiceLink(invoice: Pick<CustomerInvoice, 'id' | 'ref'>): Promise<InvoiceLink | undefined> {
    const [row] = await this.db.query('SELECT * FROM invoice_link WHERE odoo_move_id = $1 OR invoice_id = $2 FOR UPDATE', [invoice.id, invoice.ref]);
    return row && invoiceLinkOf(row);
  }

  async invoiceLinksOfMoves(moveIds: readonly number[]): Promise<InvoiceLink[]> {
    return (await this.db.query('SELECT * FROM invoice_link WHERE odoo_move_id = ANY($1)', [moveIds])).map(invoiceLinkOf);
  }

  async addIssuedInvoice(invoice: IssuedInvoice): Promise<void> {
    await this.db.query(
      `INSERT INTO invoice_link (invoice_id, patient_id, number, issued_on, due_date, total_cents, lines, appointment_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [invoice.invoiceId, invoice.patientId, invoice.number, invoice.issuedOn, invoice.dueDate, invoice.totalCents, JSON.stringify(invoice.lines), invoice.appointmentIds],
    );
  }

  /** Odoo's side of an invoice as just read; `synced` once the sync has created and posted it. */
  async recordOdooInvoice(invoiceId: string, odoo: CustomerInvoice, synced = false): Promise<void> {
    await this.db.query(
      `UPDATE invoice_link SET odoo_move_id = $2, odoo_state = $3, odoo_payment_state = $4, odoo_residual_cents = $5,
       synced_at = CASE WHEN $6::boolean THEN coalesce(synced_at, now()) ELSE synced_at END WHERE invoice_id = $1`,
      [invoiceId, odoo.id, odoo.state, odoo.paymentState, odoo.residualCents, synced],
    );
  }

  /** Resolves with whether the payment is new. */
  async addPayment(payment: PaymentLink): Promise<boolean> {
    const added = await this.db.query(
      `INSERT INTO payment_link (payment_id, invoice_id, amount_cents, received_on, origin, odoo_payment_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING payment_id`,
      [payment.paymentId, payment.invoiceId, payment.amountCents, payment.receivedOn, payment.origin, payment.odooPaymentId],
    );
    return added.length > 0;
  }

  /** The payment the sync registered or Odoo reported, by billing's id or by Odoo's. */
  async paymentLink(by: { paymentId?: string | null; odooPaymentId?: number }): Promise<PaymentLink | undefined> {
    const [row] = await this.db.query('SELECT * FROM payment_link WHERE payment_id = $1 OR odoo_payment_id = $2', [by.paymentId ?? null, by.odooPaymentId ?? null]);
    return row && paymentLinkOf(row);
  }

  /** Billing's payments on the invoice that Odoo does not have yet, oldest first. */
  async unregisteredPayments(invoiceId: string): Promise<PaymentLink[]> {
    const rows = await this.db.query('SELECT * FROM payment_link WHERE invoice_id = $1 AND odoo_payment_id IS NULL ORDER BY received_on, payment_id', [invoiceId]);
    return rows.map(paymentLinkOf);
  }

  async recordOdooPayment(paymentId: string, odooPaymentId: number): Promise<void> {
    await this.db.query('UPDATE payment_link SET odoo_payment_id = $2 WHERE payment_id = $1', [paymentId, odooPaymentId]);
  }

  /**
   * Invoices Odoo does not have in full, as these records say: not synced yet, or with billing
   * payments not registered. Up to `limit` after `afterId`, by id.
   */
  async invoicesBehind(afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ invoice_id: string }>(
      `SELECT invoice_id FROM invoice_link AS i WHERE invoice_id > $1 AND (synced_at IS NULL
         OR EXISTS (SELECT 1 FROM payment_link AS p WHERE p.invoice_id = i.invoice_id AND p.odoo_payment_id IS NULL AND p.origin = 'billing'))
       ORDER BY invoice_id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((row) => row.invoice_id);
  }

  /** Takes the invoice's push lease for `ms`; false when another push holds it. */
  async leaseInvoice(invoiceId: string, ms: number): Promise<boolean> {
    const taken = await this.db.query(
      `UPDATE invoice_link SET pushing_until = now() + make_interval(secs => $2::float8 / 1000)
       WHERE invoice_id = $1 AND (pushing_until IS NULL OR pushing_until < now()) RETURNING invoice_id`,
      [invoiceId, ms],
    );
    return taken.length > 0;
  }

  /**
   * Ends a push: the lease is released and its outcome kept. A failure counts, by its code; a push
   * that leaves the invoice in Odoo clears the count; one that did nothing (a payment waiting for
   * its invoice) leaves it as it was.
   */
  async releaseInvoice(invoiceId: string, failureCode: string | null): Promise<void> {
    await this.db.query(
      `UPDATE invoice_link SET pushing_until = NULL,
         push_failures = CASE WHEN $2::text IS NOT NULL THEN push_failures + 1 WHEN synced_at IS NOT NULL THEN 0 ELSE push_failures END,
         last_failure_code = CASE WHEN $2::text IS NOT NULL THEN $2 WHEN synced_at IS NOT NULL THEN NULL ELSE last_failure_code END,
         last_push_at = CASE WHEN $2::text IS NOT NULL OR synced_at IS NOT NULL THEN now() ELSE last_push_at END
       WHERE invoice_id = $1`,
      [invoiceId, failureCode],
    );
  }

  /** Records a failed attempt at an event; resolves with how many attempts at it have failed. */
  async recordFailure(eventId: string, eventType: string, failureCode: string): Promise<number> {
    await this.db.query('INSERT INTO sync_attempt (event_id, event_type, failure_code) VALUES ($1, $2, $3)', [eventId, eventType, failureCode]);
    const [row] = await this.db.query('SELECT count(*) AS attempts FROM sync_attempt WHERE event_id = $1', [eventId]);
    return Number(row!.attempts);
  }
}
