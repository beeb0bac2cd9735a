import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { newSigningSecret } from '../../platform/webhooks/signing-secret.ts';
import { webhookMigrations, webhookStores, type WebhookStores } from '../../platform/webhooks/stores.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';

export interface WebhookDatabase {
  db: Database;
  stores: WebhookStores;
  /** Closes the database and drops its schema. */
  dispose(): Promise<void>;
}

/** The webhook registry in a schema of its own. */
export async function openWebhookDatabase(url: string | undefined): Promise<WebhookDatabase> {
  const schema = uniqueName('webhooks');
  const db = await openDatabase({ url, schema });
  await migrate(db, webhookMigrations);
  return {
    db,
    stores: webhookStores(db),
    async dispose() {
      await db.close();
      await dropSchemas(url, schema);
    },
  };
}

export const CLAIM_SUBMITTED = 'org.healthgraph.claim.submitted.v1';

/** Registers an endpoint straight in the store; resolves with its id and secret. */
export async function registeredEndpoint(
  stores: WebhookStores,
  organizationId: string,
  url = 'https://partner.example/hooks',
  eventTypes = [CLAIM_SUBMITTED],
): Promise<{ id: string; secret: string }> {
  const secret = newSigningSecret();
  const id = await stores.endpoints.register({ organizationId, url, eventTypes, secret, registeredBy: 'test' });
  return { id, secret };
}
