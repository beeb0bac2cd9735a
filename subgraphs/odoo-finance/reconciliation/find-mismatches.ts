import type { ReconciliationMismatchKind } from '../../../platform/events/catalog.ts';
import { amountOf } from '../accounting/odoo-values.ts';
import type { CustomerInvoice } from '../accounting/customer-invoice.ts';
import type { BillingInvoice } from './billing-ledger.ts';

export interface Mismatch {
  kind: ReconciliationMismatchKind;
  invoiceId: string | null;
  odooInvoiceId: number | null;
  patientId: string | null;
  /** What differs: 'total', 'paid' or 'state'; null when one side has no invoice. */
  field: 'total' | 'paid' | 'state' | null;
  billingValue: string | null;
  odooValue: string | null;
}

/** Whether an invoice stands: cancelled, a draft (Odoo only), or open (issued or paid). */
const standingInOdoo = (invoice: CustomerInvoice) => (invoice.state === 'cancel' ? 'CANCELLED' : invoice.state === 'draft' ? 'DRAFT' : 'OPEN');
const standingInBilling = (invoice: BillingInvoice) => (invoice.status === 'CANCELLED' ? 'CANCELLED' : 'OPEN');

/**
 * At most one mismatch per invoice, the first that holds: it stands on one side only, the totals
 * differ, the amounts paid differ. (A payment missing on one side also makes billing BALANCED where
 * Odoo is not settled; that is the paid amount, reported once.)
 */
function compare(billing: BillingInvoice, odoo: CustomerInvoice): Omit<Mismatch, 'invoiceId' | 'odooInvoiceId' | 'patientId'> | undefined {
  if (standingInBilling(billing) !== standingInOdoo(odoo)) {
    return { kind: 'STATE_DIFFERS', field: 'state', billingValue: billing.status, odooValue: odoo.state };
  }
  if (billing.totalCents !== odoo.totalCents) {
    return { kind: 'AMOUNT_DIFFERS', field: 'total', billingValue: String(amountOf(billing.totalCents)), odooValue: String(amountOf(odoo.totalCents)) };
  }
  const odooPaidCents = odoo.totalCents - odoo.residualCents;
  if (billing.status !== 'CANCELLED' && billing.paidCents !== odooPaidCents) {
    return { kind: 'AMOUNT_DIFFERS', field: 'paid', billingValue: String(amountOf(billing.paidCents)), odooValue: String(amountOf(odooPaidCents)) };
  }
  return undefined;
}

/**
 * Billing's invoices against Odoo's customer invoices: each billing invoice with the Odoo invoice
 * whose ref names it (the first, should there be several), and every other posted Odoo invoice
 * of a patient's account as missing in billing. `patientOfPartner` names the patient of an account.
 */
export function findMismatches(billing: readonly BillingInvoice[], odoo: readonly CustomerInvoice[], patientOfPartner: ReadonlyMap<number, string>): Mismatch[] {
  const matched = new Set<number>();
  const byRef = new Map<string, CustomerInvoice>();
  for (const invoice of odoo) if (invoice.ref && !byRef.has(invoice.ref)) byRef.set(invoice.ref, invoice);
  const mismatches: Mismatch[] = billing.flatMap((invoice): Mismatch[] => {
    const counterpart = byRef.get(invoice.id);
    const about = { invoiceId: invoice.id, patientId: invoice.patientId };
    if (!counterpart) return [{ kind: 'MISSING_IN_ODOO', ...about, odooInvoiceId: null, field: null, billingValue: String(amountOf(invoice.totalCents)), odooValue: null }];
    matched.add(counterpart.id);
    const difference = compare(invoice, counterpart);
    return difference ? [{ ...difference, ...about, odooInvoiceId: counterpart.id }] : [];
  });
  const unmatched = odoo.filter((invoice) => !matched.has(invoice.id) && invoice.state === 'posted');
  return [
    ...mismatches,
    ...unmatched.map((invoice): Mismatch => ({
      kind: 'MISSING_IN_BILLING',
      invoiceId: null,
      odooInvoiceId: invoice.id,
      patientId: (invoice.partnerId !== null && patientOfPartner.get(invoice.partnerId)) || null,
      field: null,
      billingValue: null,
      odooValue: String(amountOf(invoice.totalCents)),
    })),
  ];
}
