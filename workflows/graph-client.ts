import type { UpstreamReason } from '../platform/errors.ts';
import type { PurposeOfUse } from '../policies/roles.ts';

/**
 * The workflows' service identity: a bearer token for the onboarding_service role acting for a
 * purpose of use. The graph authorizes, minimizes and records every step's call as it does any
 * caller's; workflows never reach into a subgraph's tables.
 */
export type ServiceIdentity = (purpose: PurposeOfUse) => Promise<string>;

/** Codes a later attempt may not meet: the step is retried (design: stable extensions.code). */
const TRANSIENT_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'AUDIT_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);

/** A call the graph refused or could not answer: its code and reason only, never its message (it may quote data). */
export class GraphCallError extends Error {
  constructor(
    readonly operation: string,
    readonly code: string,
    readonly reason: string | undefined,
    /** RATE_LIMITED: when the budget has refilled enough, as the gateway's Retry-After says. */
    readonly retryAfterMs?: number,
  ) {
    super(`${operation} failed: ${code}${reason ? ` (${reason})` : ''}`);
    this.name = 'GraphCallError';
  }

  get transient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }
}

export interface GraphClient {
  /** `operation` names the call in errors and logs; answers `data`, or throws GraphCallError. */
  call<T = Record<string, any>>(operation: string, query: string, variables: Record<string, unknown>, purpose: PurposeOfUse): Promise<T>;
}

interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: Array<{ extensions?: { code?: string; reason?: string } }>;
}

/** Socket error codes (fetch's `cause.code`) and the reason each is reported as. */
const CONNECTION_REASONS = new Map<unknown, UpstreamReason>([
  ['ECONNREFUSED', 'GATEWAY_CONNECTION_REFUSED'],
  ['ENOTFOUND', 'GATEWAY_HOST_NOT_FOUND'],
  ['EAI_AGAIN', 'GATEWAY_HOST_NOT_FOUND'],
  ['ECONNRESET', 'GATEWAY_CONNECTION_RESET'],
  ['EPIPE', 'GATEWAY_CONNECTION_RESET'],
  ['UND_ERR_SOCKET', 'GATEWAY_CONNECTION_RESET'],
  ['UND_ERR_CONNECT_TIMEOUT', 'GATEWAY_TIMEOUT'],
  ['ETIMEDOUT', 'GATEWAY_TIMEOUT'],
]);

/**
 * Why a fetch to the gateway got no answer: a timeout, a refused connection (nothing listens at
 * the URL), a host not found, a connection reset; GATEWAY_UNREACHABLE for anything else.
 */
export function connectionFailureReason(error: unknown): UpstreamReason {
  if ((error as Error | undefined)?.name === 'TimeoutError') return 'GATEWAY_TIMEOUT';
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return CONNECTION_REASONS.get(code) ?? 'GATEWAY_UNREACHABLE';
}

/** Calls the gateway over HTTP as the service identity. */
export function gatewayClient(gatewayUrl: string, identity: ServiceIdentity, timeoutMs = 30_000): GraphClient {
  return {
    async call<T>(operation: string, query: string, variables: Record<string, unknown>, purpose: PurposeOfUse): Promise<T> {
      // The token first, on its own: an identity provider that fails is not a gateway that cannot be reached.
      let token: string;
      try {
        token = await identity(purpose);
      } catch {
        throw new GraphCallError(operation, 'UPSTREAM_UNAVAILABLE', 'SERVICE_TOKEN_UNAVAILABLE' satisfies UpstreamReason);
      }
      let response: Response;
      try {
        response = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new GraphCallError(operation, 'UPSTREAM_UNAVAILABLE', connectionFailureReason(error));
      }
      // Over the client's budget: a later attempt finds the bucket refilled.
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw new GraphCallError(operation, 'RATE_LIMITED', 'HTTP_429', Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
      }
      const body = (await response.json().catch(() => ({}))) as GraphQLBody;
      const [error] = body.errors ?? [];
      if (error || !body.data) throw new GraphCallError(operation, error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error?.extensions?.reason ?? `HTTP_${response.status}`);
      return body.data as T;
    },
  };
}
