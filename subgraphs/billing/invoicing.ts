import type { Queryable } from '../../platform/database/database.ts';
import { badInput, conflict } from '../../platform/errors.ts';
import { emit } from '../../platform/events/outbox.ts';
import { newId } from '../../platform/ids.ts';
import type { Charge, Invoice } from './model.ts';
import { totalCents } from './money.ts';
import { lockPatientCharges } from './patient-charges.ts';
import { billingStores } from './stores.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';

const PAYMENT_TERMS_DAYS = 30;
const DAY_MS = 86_400_000;

/** An ISSUED statement for these charges, due 30 days after issue. */
export const newInvoice = (id: string, number: string, patientId: string, charges: readonly Charge[], issuedAt: Date): Invoice => ({
  id,
  number,
  patientId,
  status: 'ISSUED',
  totalCents: totalCents(charges),
  paidCents: 0,
  issuedAt,
  dueDate: new Date(issuedAt.getTime() + PAYMENT_TERMS_DAYS * DAY_MS).toISOString().slice(0, 10),
});

/**
 * Puts the patient's pending charges (or the named ones, which must be pending) on a new invoice.
 * The charges stay locked until the transaction ends, so a concurrent issue cannot take them too.
 */
export async function issueInvoice(tx: Queryable, scope: RowScope, patientId: string, chargeIds: string[] | null, issuedAt = new Date()): Promise<string> {
  const stores = billingStores(tx, scope);
  const charges = chargeIds ? await lockPatientCharges(stores, patientId, chargeIds) : await stores.charges.lockPendingOfPatient(patientId);
  const notPending = charges.filter((charge) => charge.status !== 'PENDING').map((charge) => charge.id);
  if (notPending.length > 0) throw conflict('CHARGE_NOT_PENDING', 'Only pending charges can be invoiced', { chargeIds: notPending });
  if (charges.length === 0) throw badInput('There are no pending charges to invoice', { reason: 'NOTHING_TO_INVOICE' });
  const [number] = await stores.invoices.numbersFor([issuedAt]);
  const invoice = newInvoice(newId('inv'), number!, patientId, charges, issuedAt);
  await stores.invoices.add([invoice]);
  await stores.charges.markInvoiced(charges.map((charge) => charge.id), invoice.id);
  await emit(tx, 'org.healthgraph.invoice.issued.v1', {
    invoiceId: invoice.id,
    patientId,
    // What the Odoo sync needs to create the invoice in Odoo (see the catalog).
    number: invoice.number,
    issuedOn: issuedAt.toISOString().slice(0, 10),
    dueDate: invoice.dueDate,
    totalCents: invoice.totalCents,
    lines: charges.map(({ code, description, amountCents }) => ({ code, description, amountCents })),
    // Which visits it bills, so operations can say which appointment an invoice stuck on Odoo's way is for.
    appointmentIds: [...new Set(charges.map((charge) => charge.appointmentId))],
  });
  return invoice.id;
}
