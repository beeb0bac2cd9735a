import type { Queryable } from '../../platform/database/database.ts';
import { toAuditEvent, type AuditEvent } from '../../platform/audit/access-record.ts';

/** Reads the audit trail the gateway writes (platform/audit); this subgraph never writes it. */
export class AuditEventStore {
  constructor(private readonly db: Queryable) {}

  /** Served by the GIN index on patient_ids and the index on at. */
  async trailOfPatient(patientId: string, from: Date, to: Date, limit: number): Promise<AuditEvent[]> {
    const rows = await this.db.query(
      'SELECT * FROM audit_event WHERE patient_ids @> ARRAY[$1::text] AND at >= $2 AND at < $3 ORDER BY at, seq LIMIT $4',
      [patientId, from, to, limit],
    );
    return rows.map(toAuditEvent);
  }

  /** The records of operational actions in the window, oldest first. */
  async actionTrail(from: Date, to: Date, limit: number): Promise<AuditEvent[]> {
    const rows = await this.db.query('SELECT * FROM audit_event WHERE actions IS NOT NULL AND at >= $1 AND at < $2 ORDER BY at, seq LIMIT $3', [from, to, limit]);
    return rows.map(toAuditEvent);
  }
}
