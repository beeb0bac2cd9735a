import { setting } from '../config.ts';
import { databaseSettingsFromEnv, type DatabaseSettings } from '../database/open.ts';

/** Where the audit trail lives: DATABASE_URL and AUDIT_SCHEMA (default `audit`), else PGlite under PGLITE_DATA_DIR. */
export const auditDatabaseSettingsFromEnv = (): DatabaseSettings => databaseSettingsFromEnv(setting('AUDIT_SCHEMA') ?? 'audit');
