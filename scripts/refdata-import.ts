// `npm run refdata:import -- <file>`: loads an organisation's reference data (practitioners,
// locations, schedules and their slots; the fee schedule and payers) from a CSV or FHIR NDJSON file
// (README, "Reference data"), each type into the schema of the subgraph that owns it: APPOINTMENTS_SCHEMA
// and BILLING_SCHEMA (defaults appointments, billing) on DATABASE_URL, or PGlite under
// PGLITE_DATA_DIR with the system stopped. Rows are written by natural key, so a file imported again
// changes nothing twice. Prints one line per rejected row (line, type, key, code, reason, field),
// then the totals. Exits 0 when every row was accepted, 1 when some were rejected (the others are
// written), 2 when it could not import.
import { readFileSync } from 'node:fs';
import { checkSettings, setting } from '../platform/config.ts';
import type { Database } from '../platform/database/database.ts';
import { migrate } from '../platform/database/migrations.ts';
import { databaseSettingsFromEnv, openDatabase } from '../platform/database/open.ts';
import { formatOfFile, readReferenceFile } from '../platform/reference-data/reference-file.ts';
import { mergeReports } from '../platform/reference-data/rows.ts';
import { importSchedulingData } from '../subgraphs/appointments/reference-import.ts';
import { importBillingReferenceData } from '../subgraphs/billing/reference-import.ts';

/** A subgraph's database, migrated: the import may run before the service ever started. */
async function opened(schema: string, subgraph: string, databases: Database[]): Promise<Database> {
  const db = await openDatabase(databaseSettingsFromEnv(schema));
  databases.push(db);
  await migrate(db, new URL(`../subgraphs/${subgraph}/migrations/`, import.meta.url));
  return db;
}

const databases: Database[] = [];
try {
  checkSettings('refdata:import');
  const path = process.argv[2];
  if (!path) throw new Error('name the file: npm run refdata:import -- <file.csv | file.ndjson>');
  const file = readReferenceFile(readFileSync(path, 'utf8'), formatOfFile(path));
  const appointments = await opened(setting('APPOINTMENTS_SCHEMA'), 'appointments', databases);
  const billing = await opened(setting('BILLING_SCHEMA'), 'billing', databases);
  const report = mergeReports(
    { accepted: 0, rejected: file.rejected },
    await importSchedulingData(appointments, file),
    await importBillingReferenceData(billing, file),
  );
  for (const { line, resourceType, key, code, reason, field, message } of report.rejected) {
    console.log([`line ${line}`, resourceType ?? '-', key ?? '-', code, reason ?? '-', field ?? '-', message].join('\t'));
  }
  console.log(`${report.accepted} accepted, ${report.rejected.length} rejected`);
  process.exitCode = report.rejected.length === 0 ? 0 : 1;
} catch (error) {
  console.error(`could not import: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  for (const db of databases) await db.close();
}
