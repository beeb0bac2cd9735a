import type { Env, Model } from '../env.ts';
import { BOOLEAN, CHAR, FLOAT, INTEGER, SELECTION } from '../env.ts';

/** Ids of the seeded records, in the order seedCatalog inserts them. */
export const USD = 1;
export const SALES_JOURNAL = 1;
export const BANK_JOURNAL = 2;

export const resPartner: Model = {
  name: 'res.partner',
  fields: {
    name: CHAR,
    ref: CHAR,
    email: CHAR,
    phone: CHAR,
    vat: CHAR,
    is_company: BOOLEAN,
    customer_rank: INTEGER,
    supplier_rank: INTEGER,
  },
};

export const resCurrency: Model = { name: 'res.currency', fields: { name: CHAR, symbol: CHAR } };

export const accountJournal: Model = { name: 'account.journal', fields: { name: CHAR, code: CHAR, type: SELECTION } };

export const productProduct: Model = {
  name: 'product.product',
  fields: { name: CHAR, default_code: CHAR, list_price: FLOAT },
  displayName: (row) => (row.default_code ? `[${String(row.default_code)}] ${String(row.name)}` : String(row.name)),
};

/** What a fresh database with Invoicing installed has: the company currency, a sales and a bank journal, products. */
export function seedCatalog(env: Env): void {
  env.insert('res.currency', { name: 'USD', symbol: '$' });
  env.insert('account.journal', { name: 'Customer Invoices', code: 'INV', type: 'sale' });
  env.insert('account.journal', { name: 'Bank', code: 'BNK1', type: 'bank' });
  env.insert('product.product', { name: 'Consultation', default_code: 'CONSULT', list_price: 120 });
  env.insert('product.product', { name: 'Laboratory panel', default_code: 'LAB', list_price: 45 });
}
