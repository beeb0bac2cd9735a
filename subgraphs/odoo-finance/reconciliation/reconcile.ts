import type { Database } from '../../../platform/database/database.ts';
import { emit } from '../../../platform/events/outbox.ts';
import { RowScope } from '../../../platform/subgraph/row-scope.ts';
import type { OdooClient } from '../odoo/client.ts';
import { SyncStore } from '../sync-store.ts';
import type { BillingInvoice } from './billing-ledger.ts';
import { findMismatches } from './find-mismatches.ts';
import { MismatchStore, type OpenMismatch } from './mismatch-store.ts';
import { readOdooLedger } from './odoo-ledger.ts';

export interface Reconciliation {
  db: Database;
  odoo: OdooClient;
  /** Billing's invoices, however read (the script reads billing's schema). */
  billing: readonly BillingInvoice[];
}

/**
 * Compares billing's invoices with Odoo's, keeps what differs as the open mismatches (what the
 * `reconciliation` query shows) and announces each mismatch once, when a run first finds it.
 * Resolves with every open mismatch.
 */
export async function reconcile({ db, odoo, billing }: Reconciliation): Promise<OpenMismatch[]> {
  const patientOfPartner = await new SyncStore(db).patientsByPartner();
  const odooInvoices = await readOdooLedger(odoo, billing.map((invoice) => invoice.id), [...patientOfPartner.keys()]);
  const found = findMismatches(billing, odooInvoices, patientOfPartner);
  return db.transaction(async (tx) => {
    const store = new MismatchStore(tx);
    for (const mismatch of await store.replace(found)) {
      await emit(tx, 'org.healthgraph.reconciliation.mismatch_found.v1', {
        mismatchId: mismatch.id,
        kind: mismatch.kind,
        ...(mismatch.invoiceId && { invoiceId: mismatch.invoiceId }),
        ...(mismatch.odooInvoiceId !== null && { odooInvoiceId: mismatch.odooInvoiceId }),
        ...(mismatch.patientId && { patientId: mismatch.patientId }),
      });
    }
    return store.open(RowScope.background('reconciliation'));
  });
}
