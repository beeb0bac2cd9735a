import { toAuditEvent, type AuditEvent } from '../../platform/audit/access-record.ts';
import type { Queryable } from '../../platform/database/database.ts';

/** The access records the gateway wrote for these request ids, read from the trail's table, by request id. */
export async function accessRecordsOf(trail: Queryable, requestIds: readonly string[]): Promise<Map<string, AuditEvent[]>> {
  const rows = await trail.query('SELECT * FROM audit_event WHERE request_id = ANY($1) ORDER BY seq', [requestIds]);
  const byRequest = new Map<string, AuditEvent[]>(requestIds.map((id) => [id, []]));
  for (const event of rows.map(toAuditEvent)) byRequest.get(event.requestId)!.push(event);
  return byRequest;
}

/** The records of one request. */
export const accessRecordsOfRequest = async (trail: Queryable, requestId: string): Promise<AuditEvent[]> =>
  (await accessRecordsOf(trail, [requestId])).get(requestId)!;

/** Every patient id the records name. */
export const patientsNamed = (records: readonly AuditEvent[]): string[] => [...new Set(records.flatMap((record) => record.patientIds))].sort();
