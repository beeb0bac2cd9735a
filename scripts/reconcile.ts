// `npm run reconcile`: compares billing's invoices and payments with Odoo's, keeps each mismatch as
// open (the `reconciliation` query shows them) and announces each once as reconciliation.mismatch_found
// through the odoo-finance outbox.
//
// Billing's numbers come from billing's own schema, read-only, in one snapshot (DATABASE_URL, or
// PGLITE_DATA_DIR with the system stopped; BILLING_SCHEMA, default billing): a reconciliation reads
// every invoice at one instant, which no graph query offers and the gateway's cost limits are not
// made for. It is the one reader of another subgraph's tables; a billing export query would replace it.
// Odoo from ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY; the subgraph's records in ODOO_FINANCE_SCHEMA
// (default odoo_finance). Prints one line per open mismatch, ids and amounts only. Exits 0 when
// billing and Odoo agree, 1 when they do not, 2 when it could not reconcile.
import { checkSettings, setting } from '../platform/config.ts';
import type { Database } from '../platform/database/database.ts';
import { databaseSettingsFromEnv, openDatabase } from '../platform/database/open.ts';
import { migrate } from '../platform/database/migrations.ts';
import { OdooClient } from '../subgraphs/odoo-finance/odoo/client.ts';
import { readBillingLedger } from '../subgraphs/odoo-finance/reconciliation/billing-ledger.ts';
import { reconcile } from '../subgraphs/odoo-finance/reconciliation/reconcile.ts';
import { odooSettingsFromEnv } from '../subgraphs/odoo-finance/settings.ts';

const migrations = new URL('../subgraphs/odoo-finance/migrations/', import.meta.url);
const shown = (value: string | number | null) => value ?? '-';

const databases: Database[] = [];
try {
  checkSettings('reconcile');
  const odooSettings = odooSettingsFromEnv();
  if (!odooSettings) throw new Error('ODOO_URL is not set (the bundled Odoo lives inside the running system)');
  const billing = await openDatabase(databaseSettingsFromEnv(setting('BILLING_SCHEMA')));
  databases.push(billing);
  const db = await openDatabase(databaseSettingsFromEnv(setting('ODOO_FINANCE_SCHEMA')));
  databases.push(db);
  await migrate(db, migrations);
  const mismatches = await reconcile({ db, odoo: new OdooClient(odooSettings), billing: await readBillingLedger(billing) });
  for (const { kind, invoiceId, odooInvoiceId, field, billingValue, odooValue } of mismatches) {
    console.log([kind, `invoice=${shown(invoiceId)}`, `odooInvoice=${shown(odooInvoiceId)}`, `field=${shown(field)}`, `billing=${shown(billingValue)}`, `odooValue=${shown(odooValue)}`].join(' '));
  }
  console.log(`${mismatches.length} mismatch${mismatches.length === 1 ? '' : 'es'}`);
  process.exitCode = mismatches.length === 0 ? 0 : 1;
} catch (error) {
  console.error(`could not reconcile: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  for (const db of databases) await db.close();
}
