import type { AccessRecord } from '../platform/audit/access-record.ts';
import type { Disclosures } from '../platform/audit/disclosures.ts';
import type { Logger } from '../platform/logger.ts';
import type { Caller } from '../platform/caller.ts';
import type { TraceContext } from '../platform/observability/tracing.ts';

/** What every gateway plugin and the subgraph data source see of a request. */
export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** Null for an anonymous caller: only fields without an authorization requirement are theirs. */
  caller: Caller | null;
  /** Whose rows the subgraphs released to this request, and refused it: what its access records name. */
  disclosures: Disclosures;
  /**
   * The trace the request's subgraph calls continue: its HTTP span, or the event an in-process read
   * is for. Absent (a batch of subscription reads, serving many events), a call starts no trace.
   */
  trace?: TraceContext;
  /**
   * Set on the gateway's own in-process reads of an event's entity, for a subscriber or a webhook:
   * their documents are the gateway's, derived from an operation the safelist already admitted.
   * No request from outside can set it.
   */
  eventRead?: true;
  /** Set on the subscription hub's reads: their access records are written with the deliveries (access-record-plugin.ts). */
  holdRecords?: (records: AccessRecord[]) => void;
}
