import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { ErrorCode, type Reason } from '../errors.ts';
import type { TraceContext } from '../observability/tracing.ts';

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  /** Larger bodies are refused with 413 before they are read into memory. */
  bodyLimitBytes: number;
  context: (request: IncomingMessage, requestId: string, trace: TraceContext) => Promise<TContext>;
}

export class HttpRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Where one code covers several causes: which (`extensions.reason`). */
    readonly reason?: Reason,
  ) {
    super(message);
  }
}

export async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpRequestError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpRequestError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(raw: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().startsWith('application/json') || raw === '') return raw || undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpRequestError(400, ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON');
  }
}

export function writeJsonError(response: ServerResponse, error: HttpRequestError): void {
  response.statusCode = error.status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, ...(error.reason && { reason: error.reason }) } }] }));
}

/** Serves an ApolloServer on node:http, the way @apollo/server's standalone server does, plus a body limit. */
export function graphqlHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, options: GraphQLHandlerOptions<TContext>) {
  return async (request: IncomingMessage, response: ServerResponse, requestId: string, trace: TraceContext): Promise<void> => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = parseJsonBody(await readBody(request, options.bodyLimitBytes), request.headers['content-type']);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const result = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
      context: () => options.context(request, requestId, trace),
    });
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}
