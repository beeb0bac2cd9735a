// `npm run audit:verify`: recomputes the audit trail's hash chain and checks it against the signed
// anchor the gateway keeps outside the table. DATABASE_URL and AUDIT_SCHEMA (default audit), or the
// embedded trail under PGLITE_DATA_DIR (with the system stopped: PGlite allows one process at a
// time); the anchor under AUDIT_ANCHOR_DIR, verified with the gateway's public key
// (GATEWAY_PUBLIC_JWKS_FILE). Exits 0 when intact, 1 naming the first bad row, 2 when it could not check.
import { existsSync } from 'node:fs';
import { checkSettings } from '../platform/config.ts';
import { anchorFile, readAnchor } from '../platform/audit/anchor.ts';
import { auditAnchorDirFromEnv, auditDatabaseSettingsFromEnv } from '../platform/audit/settings.ts';
import { verifyAuditChain } from '../platform/audit/verify-chain.ts';
import type { Database } from '../platform/database/database.ts';
import { openDatabase } from '../platform/database/open.ts';
import { gatewayPublicKeyFromEnv } from '../platform/internal-token.ts';

let db: Database | undefined;
try {
  checkSettings('audit:verify');
  const settings = auditDatabaseSettingsFromEnv();
  const file = anchorFile(auditAnchorDirFromEnv(), settings.schema);
  const anchor = existsSync(file) ? await readAnchor(file, settings.schema, gatewayPublicKeyFromEnv()) : undefined;
  db = await openDatabase(settings);
  const result = await verifyAuditChain(db, anchor);
  if (result.ok) {
    console.log(`audit trail intact: ${result.rows} rows${anchor ? `, anchored at seq ${anchor.seq}` : ' (no anchor found: a cut tail cannot be told)'}`);
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
