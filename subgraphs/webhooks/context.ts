import type { Database } from '../../platform/database/database.ts';
import { webhookStores } from '../../platform/webhooks/stores.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';

/** Per request: the stores and where endpoints may point. No DataLoaders: nothing under an endpoint is loaded. */
export const webhooksContext = (targets: TargetPolicy) => (db: Database) => ({ db, targets, ...webhookStores(db) });

export type WebhooksContext = ReturnType<ReturnType<typeof webhooksContext>>;
