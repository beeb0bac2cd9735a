import { setting } from '../config.ts';
import { databaseSettingsFromEnv, type DatabaseSettings } from '../database/open.ts';
import type { TargetPolicy } from './target-policy.ts';

/** Where the webhook registry lives: DATABASE_URL and WEBHOOKS_SCHEMA (default `webhooks`), else PGlite under PGLITE_DATA_DIR. */
export const webhooksDatabaseSettingsFromEnv = (): DatabaseSettings => databaseSettingsFromEnv(setting('WEBHOOKS_SCHEMA'));

/** WEBHOOK_LOOPBACK_TARGETS=true allows loopback endpoints (a standalone embedded setup); never set it in production. */
export const targetPolicyFromEnv = (): TargetPolicy => ({ loopbackAllowed: setting('WEBHOOK_LOOPBACK_TARGETS') });
