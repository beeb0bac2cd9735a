// `npm run audit:verify`: recomputes the audit trail's hash chain. DATABASE_URL and AUDIT_SCHEMA
// (default audit), or the embedded trail under PGLITE_DATA_DIR (with the system stopped: PGlite
// allows one process at a time). Exits 0 when intact, 1 naming the first bad row, 2 when it could not check.
import type { Database } from '../platform/database/database.ts';
import { openDatabase } from '../platform/database/open.ts';
import { auditDatabaseSettingsFromEnv } from '../platform/audit/settings.ts';
import { verifyAuditChain } from '../platform/audit/verify-chain.ts';

let db: Database | undefined;
try {
  db = await openDatabase(auditDatabaseSettingsFromEnv());
  const result = await verifyAuditChain(db);
  if (result.ok) {
    console.log(`audit trail intact: ${result.rows} rows`);
  } else {
    console.error(`audit trail broken at seq ${result.firstBadSeq}: ${result.reason}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`could not verify the audit trail: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await db?.close();
}
