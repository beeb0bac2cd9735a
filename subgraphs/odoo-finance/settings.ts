import { setting } from '../../platform/config.ts';
import type { DailySchedule } from '../../platform/operations/daily-schedule.ts';
import { flowOf } from '../../policies/flows.ts';
import type { OdooClientOptions } from './odoo/client.ts';

/** ODOO_WEBHOOK_TOKEN: the secret in the webhook's path; long enough not to be guessed. */
export function webhookTokenFromEnv(): string | undefined {
  return setting('ODOO_WEBHOOK_TOKEN');
}

function required(name: 'ODOO_DB' | 'ODOO_USER' | 'ODOO_API_KEY'): string {
  const value = setting(name);
  if (!value) throw new Error(`${name} must be set with ODOO_URL`);
  return value;
}

/** ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY, ODOO_TRANSPORT (json-rpc, json-2 or auto), ODOO_TIMEOUT_MS; none without ODOO_URL. */
export function odooSettingsFromEnv(): OdooClientOptions | undefined {
  const url = setting('ODOO_URL');
  if (!url) return undefined;
  return {
    url: url.replace(/\/$/, ''),
    db: required('ODOO_DB'),
    login: required('ODOO_USER'),
    apiKey: required('ODOO_API_KEY'),
    transport: setting('ODOO_TRANSPORT'),
    timeoutMs: setting('ODOO_TIMEOUT_MS'),
  };
}

/**
 * The Odoo a standalone odoo-finance service talks to. ODOO_URL is required: the bundled stand-in
 * is the embedded default of `npm start` only, never a service's fallback.
 */
export function requiredOdooSettingsFromEnv(): OdooClientOptions {
  const settings = odooSettingsFromEnv();
  if (!settings) {
    throw new Error('ODOO_URL is not set: the odoo-finance service needs an Odoo (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_API_KEY); for development, `npm run odoo:bundled` starts the bundled stand-in and prints them');
  }
  return settings;
}

/** The reconciliation flow's schedule: its time of day, unless RECONCILIATION_TIME says otherwise, in RECONCILIATION_TIME_ZONE (the machine's zone by default). */
export function reconciliationScheduleFromEnv(): DailySchedule {
  return {
    at: setting('RECONCILIATION_TIME') ?? flowOf('reconciliation', 'BATCH').dailyAt,
    timeZone: setting('RECONCILIATION_TIME_ZONE') ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
