import type { Queryable } from '../../platform/database/database.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import { ChargeStore } from './charge-store.ts';
import { ClaimStore } from './claim-store.ts';
import { InvoiceStore } from './invoice-store.ts';
import { PayerStore } from './payer-store.ts';
import { PaymentStore } from './payment-store.ts';

/**
 * Every billing store over one connection (the database, or a mutation's transaction), within
 * `scope`: the caller's for a request, a named background scope for work no caller asked for.
 */
export const billingStores = (db: Queryable, scope: RowScope) => ({
  payers: new PayerStore(db),
  charges: new ChargeStore(db, scope),
  claims: new ClaimStore(db, scope),
  invoices: new InvoiceStore(db, scope),
  payments: new PaymentStore(db, scope),
});

export type BillingStores = ReturnType<typeof billingStores>;
