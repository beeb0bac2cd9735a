import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { DISCLOSURES_EXTENSION, disclosureReportIn } from '../platform/audit/disclosures.ts';
import { DomainError, ErrorCode } from '../platform/errors.ts';
import { REQUEST_ID_HEADER } from '../platform/http/request-id.ts';
import { subgraphDuration, subgraphErrors, subgraphRequests } from '../platform/observability/metrics.ts';
import { traceCarrier } from '../platform/observability/tracing.ts';
import type { SignInternalToken } from './authentication/internal-token.ts';
import type { GatewayContext } from './context.ts';
import { openSubgraphConnection, type SubgraphConnection } from './subgraph-connection.ts';

type ReceivedResponse = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** A subgraph call waiting longer (to connect, for the headers, for more body) is abandoned as UPSTREAM_UNAVAILABLE. */
  timeoutMs: number;
  signInternalToken: SignInternalToken;
}

/**
 * Real HTTP to one subgraph, over a pool of keep-alive connections of its own, so a request does
 * not pay a TCP handshake. Every call carries the request id and the gateway's internal token for
 * the caller: subgraphs answer nothing else.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraphName: string;
  private readonly signInternalToken: SignInternalToken;
  private readonly connection: SubgraphConnection;

  constructor({ name, url, timeoutMs, signInternalToken }: SubgraphDataSourceOptions) {
    const connection = openSubgraphConnection(url, timeoutMs);
    super({ url, fetcher: connection.fetch });
    this.subgraphName = name;
    this.signInternalToken = signInternalToken;
    this.connection = connection;
  }

  /** Once the gateway has stopped: lets calls in flight finish, then closes the connections. */
  close(): Promise<void> {
    return this.connection.close();
  }

  /** Each call a request makes is counted and timed, per subgraph (health checks are not). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION; the enum is not exported.
    if ((options.kind as string) !== 'incoming operation') return super.process(options);
    const subgraph = this.subgraphName;
    subgraphRequests.inc({ subgraph });
    const timed = subgraphDuration.startTimer({ subgraph });
    try {
      const response = await super.process(options);
      if (response.errors?.length) subgraphErrors.inc({ subgraph, kind: 'errors' });
      return response;
    } catch (error) {
      subgraphErrors.inc({ subgraph, kind: 'unavailable' });
      throw error;
    } finally {
      timed();
    }
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loading run without a request context: they carry no caller.
    const requestId = 'requestId' in context ? context.requestId : 'gateway';
    const caller = 'caller' in context ? context.caller : null;
    request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    request.http?.headers.set('authorization', `Bearer ${await this.signInternalToken(caller)}`);
    // The request's trace goes on into the subgraph.
    const { traceparent } = traceCarrier();
    if (traceparent) request.http?.headers.set('traceparent', traceparent);
  }

  /**
   * Every subgraph response passes here: its disclosure report (whose rows it released or refused)
   * joins the request's, and is taken out of what the executor sees.
   */
  override async didReceiveResponse({ response, context }: ReceivedResponse): Promise<ReceivedResponse['response']> {
    const report = disclosureReportIn(response.extensions);
    if (report) {
      // Health checks and schema loads have no request, and no subgraph discloses rows to them.
      context.disclosures?.add(report);
      delete response.extensions![DISCLOSURES_EXTENSION];
    }
    return response;
  }

  /** Connection refused, timeouts, 5xx: the caller learns which service is down, never the socket error. */
  override didEncounterError(): never {
    throw new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${this.subgraphName} service is unavailable`, { service: this.subgraphName });
  }
}
