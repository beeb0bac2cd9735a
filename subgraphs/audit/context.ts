import type { Database } from '../../platform/database/database.ts';
import { AuditEventStore } from './audit-event-store.ts';

/** Per request: the store. No DataLoaders: a trail is one query and nothing under it is loaded. */
export function auditContext(db: Database) {
  return { store: new AuditEventStore(db) };
}

export type AuditContext = ReturnType<typeof auditContext>;
