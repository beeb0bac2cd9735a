import type { Database } from '../database/database.ts';
import { WebhookDeliveryStore } from './delivery-store.ts';
import { WebhookEndpointStore } from './endpoint-store.ts';

/** The webhook tables; the gateway (delivering) and the webhooks subgraph (registering, reading the log) migrate with them. */
export const webhookMigrations = new URL('./migrations/', import.meta.url);

export interface WebhookStores {
  endpoints: WebhookEndpointStore;
  deliveries: WebhookDeliveryStore;
}

export const webhookStores = (db: Database): WebhookStores => ({ endpoints: new WebhookEndpointStore(db), deliveries: new WebhookDeliveryStore(db) });
