import { intSetting, setting } from '../../platform/config.ts';
import type { OdooClientOptions } from './odoo/client.ts';
import type { TransportName } from './odoo/transport.ts';

/** The PostgreSQL schema the subgraph owns: its name, which has a hyphen, is not an identifier. */
export const ODOO_FINANCE_SCHEMA = 'odoo_finance';

/** ODOO_WEBHOOK_TOKEN: the secret in the webhook's path; long enough not to be guessed. */
export function webhookTokenFromEnv(): string | undefined {
  const token = setting('ODOO_WEBHOOK_TOKEN');
  if (token !== undefined && !/^[A-Za-z0-9_-]{32,}$/.test(token)) throw new Error('ODOO_WEBHOOK_TOKEN must be at least 32 letters, digits, - or _');
  return token;
}

function required(name: string): string {
  const value = setting(name);
  if (!value) throw new Error(`${name} must be set with ODOO_URL`);
  return value;
}

const TRANSPORTS = ['auto', 'json-rpc', 'json-2'] as const;

function transportSetting(): TransportName | 'auto' {
  const transport = setting('ODOO_TRANSPORT') ?? 'auto';
  if (!(TRANSPORTS as readonly string[]).includes(transport)) throw new Error(`ODOO_TRANSPORT must be one of ${TRANSPORTS.join(', ')}`);
  return transport as TransportName | 'auto';
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
    transport: transportSetting(),
    timeoutMs: intSetting('ODOO_TIMEOUT_MS', 10_000),
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
