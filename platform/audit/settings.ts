import { join } from 'node:path';
import { dataDirectory, setting } from '../config.ts';
import { databaseSettingsFromEnv, type DatabaseSettings } from '../database/open.ts';

/** Where the audit trail lives: DATABASE_URL and AUDIT_SCHEMA (default `audit`), else PGlite under PGLITE_DATA_DIR. */
export const auditDatabaseSettingsFromEnv = (): DatabaseSettings => databaseSettingsFromEnv(setting('AUDIT_SCHEMA'));

/** Where the trail's signed anchors are kept: AUDIT_ANCHOR_DIR, else `<data directory>/audit-anchor` (DATA_DIR by default). */
export const auditAnchorDirFromEnv = (dataDir = dataDirectory()): string => setting('AUDIT_ANCHOR_DIR') ?? join(dataDir, 'audit-anchor');
