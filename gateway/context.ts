import type { Logger } from '../platform/logger.ts';
import type { Caller } from '../platform/caller.ts';

/** What every gateway plugin and the subgraph data source see of a request. */
export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** Null for an anonymous caller: only fields without an authorization requirement are theirs. */
  caller: Caller | null;
}
