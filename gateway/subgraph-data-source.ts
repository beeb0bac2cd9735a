import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { DomainError, ErrorCode } from '../platform/errors.ts';
import { REQUEST_ID_HEADER } from '../platform/http/request-id.ts';
import type { SignInternalToken } from './authentication/internal-token.ts';
import type { GatewayContext } from './context.ts';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** A subgraph call taking longer is abandoned and reported as UPSTREAM_UNAVAILABLE. */
  timeoutMs: number;
  signInternalToken: SignInternalToken;
}

/**
 * Real HTTP to one subgraph. Node's fetch (undici) keeps a pool of keep-alive connections per
 * subgraph, so a request does not pay a TCP handshake. Every call carries the request id and the
 * gateway's internal token: subgraphs answer nothing else.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraphName: string;
  private readonly signInternalToken: SignInternalToken;

  constructor({ name, url, timeoutMs, signInternalToken }: SubgraphDataSourceOptions) {
    const fetcher = ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
    super({ url, fetcher });
    this.subgraphName = name;
    this.signInternalToken = signInternalToken;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loading run without a request context: they carry no caller.
    const requestId = 'requestId' in context ? context.requestId : 'gateway';
    const caller = 'caller' in context ? context.caller : null;
    request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    request.http?.headers.set('authorization', `Bearer ${await this.signInternalToken(caller, requestId)}`);
  }

  /** Connection refused, timeouts, 5xx: the caller learns which service is down, never the socket error. */
  override didEncounterError(): never {
    throw new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${this.subgraphName} service is unavailable`, { service: this.subgraphName });
  }
}
