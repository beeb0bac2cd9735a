import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, parse, type DocumentNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { DISCLOSURES_EXTENSION, disclosureReportIn } from '../platform/audit/disclosures.ts';
import { DomainError, ErrorCode } from '../platform/errors.ts';
import { REQUEST_ID_HEADER } from '../platform/http/request-id.ts';
import { subgraphDuration, subgraphErrors, subgraphRequests } from '../platform/observability/metrics.ts';
import { inSpan, SpanKind, traceCarrier, type TraceContext } from '../platform/observability/tracing.ts';
import type { SignInternalToken } from './authentication/internal-token.ts';
import type { GatewayContext } from './context.ts';
import { openSubgraphConnection, type SubgraphConnection } from './subgraph-connection.ts';

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type ProcessedResponse = Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>>;
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
  /** Each call's span, by the call's request: willSendRequest puts its traceparent on the call. */
  private readonly callTraces = new WeakMap<object, TraceContext>();

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

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loading run without a request context: they carry no caller.
    const requestId = 'requestId' in context ? context.requestId : 'gateway';
    const caller = 'caller' in context ? context.caller : null;
    request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    request.http?.headers.set('authorization', `Bearer ${await this.signInternalToken(caller)}`);
    // The request's trace goes on into the subgraph, from this call's span.
    const trace = this.callTraces.get(request);
    const traceparent = trace && traceCarrier(trace).traceparent;
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

  /**
   * Each call a request makes is counted and timed, per subgraph (health checks are not). A subgraph
   * that is down answers, for an operation's fetch, one UPSTREAM_UNAVAILABLE error per field it leaves
   * null, at that field's subgraph path: @apollo/gateway maps it to the caller's path as it does the
   * subgraph's own errors (`_entities.3.balance` becomes `patients.3.balance`).
   */
  override async process(options: ProcessOptions): Promise<ProcessedResponse> {
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION; the enum is not exported.
    if ((options.kind as string) !== 'incoming operation') return super.process(options);
    const { trace } = options.context;
    if (!trace) return this.call(options);
    const attributes = { 'healthgraph.service': 'gateway', 'healthgraph.subgraph': this.subgraphName };
    return inSpan(`call ${this.subgraphName}`, { kind: SpanKind.CLIENT, parent: trace, attributes }, (call) => {
      this.callTraces.set(options.request, call);
      return this.call(options);
    });
  }

  private async call(options: ProcessOptions): Promise<ProcessedResponse> {
    const subgraph = this.subgraphName;
    subgraphRequests.inc({ subgraph });
    const timed = subgraphDuration.startTimer({ subgraph });
    try {
      const response = await super.process(options);
      if (response.errors?.length) subgraphErrors.inc({ subgraph, kind: 'errors' });
      return response;
    } catch (error) {
      subgraphErrors.inc({ subgraph, kind: 'unavailable' });
      return unavailableAtPaths(error, options);
    } finally {
      timed();
    }
  }

  /**
   * A subgraph that refused the call's input (HTTP 400, BAD_USER_INPUT: a variable it could not coerce) was
   * asked something wrong, not down. Connection refused, timeouts, 5xx: the caller learns which service is
   * down, never the socket error.
   */
  override didEncounterError(error: Error): never {
    if (refusedInput(error)) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, 'An input of the request is not valid', { reason: 'INVALID_VALUE' });
    }
    throw new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${this.subgraphName} service is unavailable`, { service: this.subgraphName });
  }
}

/** The subgraph's own words are not repeated: graphql's coercion messages quote the value, which may be patient data. */
function refusedInput(error: Error): boolean {
  const response = (error as { extensions?: { response?: { status?: number; body?: { errors?: Array<{ extensions?: { code?: unknown } }> } } } }).extensions?.response;
  return response?.status === 400 && (response.body?.errors ?? []).some((refusal) => refusal.extensions?.code === ErrorCode.BAD_USER_INPUT);
}

/** A fetch's UPSTREAM_UNAVAILABLE as errors at the paths it nulls; any other failure as it was. */
function unavailableAtPaths(error: unknown, options: ProcessOptions): ProcessedResponse {
  const { request } = options;
  const document = 'document' in options ? options.document : undefined;
  if (!(error instanceof DomainError) || error.extensions.code !== ErrorCode.UPSTREAM_UNAVAILABLE || !request.query) throw error;
  // The plan's fetch keeps its operation as text only (operationDocumentNode is not always set).
  const paths = nulledPaths(document ?? parse(request.query), request.variables ?? {});
  if (paths.length === 0) throw error;
  return { errors: paths.map((path): GraphQLFormattedError => ({ message: error.message, path, extensions: error.extensions })) };
}

/** The response keys a selection asks for (fragments' too), but `__typename`, which the gateway fills itself. */
function responseKeys(selectionSet: SelectionSetNode): string[] {
  const keys = selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? [] : [(selection.alias ?? selection.name).value];
    return selection.kind === Kind.INLINE_FRAGMENT ? responseKeys(selection.selectionSet) : [];
  });
  return [...new Set(keys)];
}

/**
 * The subgraph paths a failed fetch leaves null: its root fields, or each entity's fields for
 * `_entities` (several aliased ones when our executor sends sibling entity fetches together).
 */
function nulledPaths(document: DocumentNode, variables: Record<string, unknown>): (string | number)[][] {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const entityFields = operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities' && selection.selectionSet);
  if (!entityFields.length) return responseKeys(operation.selectionSet).map((key) => [key]);
  return entityFields.flatMap((field) => {
    if (field.kind !== Kind.FIELD) return [];
    const argument = field.arguments?.find(({ name }) => name.value === 'representations')?.value;
    const representations = argument?.kind === Kind.VARIABLE ? variables[argument.name.value] : undefined;
    const keys = responseKeys(field.selectionSet!);
    const name = (field.alias ?? field.name).value;
    return Array.from({ length: Array.isArray(representations) ? representations.length : 0 }, (_, index) => keys.map((key) => [name, index, key])).flat();
  });
}
