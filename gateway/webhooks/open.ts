import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { webhooksDatabaseSettingsFromEnv } from '../../platform/webhooks/settings.ts';
import { webhookMigrations, webhookStores } from '../../platform/webhooks/stores.ts';
import { startWebhookDeliverer, type WebhookDelivererOptions } from './deliverer.ts';

export interface WebhookDelivererEnvironment extends Omit<WebhookDelivererOptions, 'store'> {
  /**
   * The registry's database when the launcher already holds it (embedded PGlite is one handle per
   * database); otherwise DATABASE_URL with WEBHOOKS_SCHEMA, or PGlite.
   */
  database?: Database;
}

/** Migrates the webhook registry and starts the deliverer on it; closing closes a database it opened. */
export async function openWebhookDeliverer({ database, ...options }: WebhookDelivererEnvironment): Promise<RunningLoop> {
  const ownDatabase = database ? undefined : await openDatabase(webhooksDatabaseSettingsFromEnv());
  const db = database ?? ownDatabase!;
  try {
    await migrate(db, webhookMigrations);
  } catch (error) {
    await ownDatabase?.close();
    throw error;
  }
  const deliverer = startWebhookDeliverer({ ...options, store: webhookStores(db) });
  return {
    async close() {
      await deliverer.close();
      await ownDatabase?.close();
    },
  };
}
