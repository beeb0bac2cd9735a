import type { RequestScope } from '../../platform/subgraph/service.ts';
import type { Database, Queryable } from '../../platform/database/database.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import { childrenLoader, entityLoader } from '../../platform/subgraph/loaders.ts';
import type { PayerAdapter } from './payers/payer-adapter.ts';
import { billingStores } from './stores.ts';

/** Per request: the stores, the payer adapter, and one DataLoader per entity type or nested list, all keeping to the caller's rows. */
export function billingContext(db: Database, payer: PayerAdapter, scope: RowScope) {
  const stores = billingStores(db, scope);
  const loaders = {
    payers: entityLoader((ids) => stores.payers.byIds(ids), (payer) => payer.id),
    charges: entityLoader((ids) => stores.charges.byIds(ids), (charge) => charge.id),
    claims: entityLoader((ids) => stores.claims.byIds(ids), (claim) => claim.id),
    invoices: entityLoader((ids) => stores.invoices.byIds(ids), (invoice) => invoice.id),
    payments: entityLoader((ids) => stores.payments.byIds(ids), (payment) => payment.id),
    appointmentCharges: childrenLoader((ids) => stores.charges.chargesOfAppointments(ids), (charge) => charge.appointmentId),
    claimCharges: childrenLoader((ids) => stores.charges.chargesOfClaims(ids), (charge) => charge.claimId),
    invoiceLines: childrenLoader((ids) => stores.charges.chargesOfInvoices(ids), (charge) => charge.invoiceId ?? ''),
    invoicePayments: childrenLoader((ids) => stores.payments.paymentsOfInvoices(ids), (payment) => payment.invoiceId),
    patientClaims: childrenLoader((ids) => stores.claims.claimsOfPatients(ids), (claim) => claim.patientId),
    patientInvoices: childrenLoader((ids) => stores.invoices.invoicesOfPatients(ids), (invoice) => invoice.patientId),
  };
  return {
    db,
    stores,
    payer,
    ...loaders,
    /** A mutation's writes, in one transaction. What the loaders cached may be stale after it, and a request may hold several mutations. */
    async write<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const result = await db.transaction(work);
      for (const loader of Object.values(loaders)) loader.clearAll();
      return result;
    },
  };
}

/** What a resolver gets: the request's scope and caller too. */
export type BillingContext = ReturnType<typeof billingContext> & RequestScope;
