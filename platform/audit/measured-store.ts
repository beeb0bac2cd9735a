import { accessRecordWriteDuration } from '../observability/metrics.ts';
import type { AuditStore } from './audit-store.ts';

/** The trail as the writer sees it, with each batch's write timed (failed attempts too: an outage shows as slow writes). */
export function measuredAuditStore(store: AuditStore): Pick<AuditStore, 'append' | 'holds'> {
  return {
    append: async (records, options) => {
      const written = accessRecordWriteDuration.startTimer();
      try {
        return await store.append(records, options);
      } finally {
        written();
      }
    },
    holds: (tail) => store.holds(tail),
  };
}
