import type { Queryable } from '../../platform/database/database.ts';
import { ChargeStore } from './charge-store.ts';
import { ClaimStore } from './claim-store.ts';
import { InvoiceStore } from './invoice-store.ts';
import { PayerStore } from './payer-store.ts';
import { PaymentStore } from './payment-store.ts';

/** Every billing store over one connection: the database, or a mutation's transaction. */
export const billingStores = (db: Queryable) => ({
  payers: new PayerStore(db),
  charges: new ChargeStore(db),
  claims: new ClaimStore(db),
  invoices: new InvoiceStore(db),
  payments: new PaymentStore(db),
});

export type BillingStores = ReturnType<typeof billingStores>;
