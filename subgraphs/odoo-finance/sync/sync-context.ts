import type { Database } from '../../../platform/database/database.ts';
import type { OdooClient } from '../odoo/client.ts';

/** What the sync's handlers work with. */
export interface SyncContext {
  db: Database;
  odoo: OdooClient;
  /** The consumer group; handled events are recorded under its name. */
  group: string;
}
