import type { AccessRecord } from '../platform/audit/access-record.ts';
import type { AuditWriter } from '../platform/audit/audit-writer.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * The access-record plugin's sink. While the trail is being written, a request does not wait for
 * its record (it is queued and batched off the hot path). Once the store fails, requests wait on
 * their record, so with fail-closed on they are refused (AUDIT_UNAVAILABLE) rather than served
 * unrecorded; the queued records are written when the store returns.
 */
export function auditSink(writer: AuditWriter, logger: Logger) {
  return (record: AccessRecord): Promise<void> => {
    const written = writer.record(record);
    if (!writer.healthy()) return written;
    written.catch((error: unknown) => logger.warn({ err: { name: (error as Error).name } }, 'audit record delayed'));
    return Promise.resolve();
  };
}
