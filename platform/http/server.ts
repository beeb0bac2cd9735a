import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setting } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { metricsEnabled } from '../observability/metrics.ts';
import { metricsRoute } from '../observability/metrics-route.ts';
import { contextFrom, inSpan, SpanKind, type TraceContext } from '../observability/tracing.ts';
import { HttpRequestError, writeJsonError } from './graphql-handler.ts';
import { readinessOf, type ReadinessCheck } from './readiness.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';

/** `trace`: the request's span, for the work it hands on (subgraph calls) without an async context to find it in. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, requestId: string, trace: TraceContext) => Promise<void>;

export interface HttpServiceOptions {
  name: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The setting that chooses `port`, named when another process holds it. */
  portSetting?: string;
  logger: Logger;
  /** How long closing waits for requests in flight before cutting them; SHUTDOWN_DRAIN_MS (10 s) by default. */
  drainMs?: number;
  /** What /ready checks, each named in its answer (database, subgraphs, settings...). */
  checks: readonly ReadinessCheck[];
  /** Routes by path; a path ending in '/' also serves every path below it. `/health`, `/ready` and `/metrics` are added for every service. */
  routes: Record<string, RouteHandler>;
}

export interface HttpService {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

/** The route serving a path, and its pattern as logs name it: `/graphql`, or `/odoo/webhook/*` for a prefix route. */
function routeOf(routes: Record<string, RouteHandler>, path: string): { pattern: string; handler: RouteHandler } | undefined {
  const exact = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (exact) return { pattern: path, handler: exact };
  const prefixed = Object.entries(routes).find(([prefix]) => prefix.endsWith('/') && path.startsWith(prefix));
  return prefixed && { pattern: `${prefixed[0]}*`, handler: prefixed[1] };
}

/** The HTTP shell every service shares: request ids, health, readiness, access logs, and no leaked internals. */
export async function startHttpService(options: HttpServiceOptions): Promise<HttpService> {
  const { logger } = options;
  const routes: Record<string, RouteHandler> = {
    '/health': async (_request, response) => sendJson(response, 200, { status: 'ok', service: options.name }),
    // 200 while the service can serve something (ready, or degraded: names what is down); 503 when it cannot.
    '/ready': async (_request, response) => {
      const readiness = await readinessOf(options.checks);
      sendJson(response, readiness.status === 'not ready' ? 503 : 200, { status: readiness.status, service: options.name, notReady: readiness.notReady, checks: readiness.checks });
    },
    ...(metricsEnabled && { '/metrics': metricsRoute }),
    ...options.routes,
  };
  let closing = false;
  const server = createServer(async (request, response) => {
    const started = performance.now();
    const requestId = requestIdOf(request.headers);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    // Closing: this connection ends with this response, and the ones that just went idle end now.
    if (closing) response.setHeader('connection', 'close');
    response.once('finish', () => closing && server.closeIdleConnections());
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routeOf(routes, path);
    try {
      // The caller's trace continues here (W3C traceparent); the span names the route, never the raw path.
      if (route) {
        await inSpan(
          `${request.method} ${route.pattern}`,
          { kind: SpanKind.SERVER, parent: contextFrom(request.headers), attributes: { 'healthgraph.service': options.name, 'http.route': route.pattern, 'healthgraph.request_id': requestId } },
          (trace) => route.handler(request, response, requestId, trace),
        );
      } else sendJson(response, 404, { errors: [{ message: `No route ${path}`, extensions: { code: ErrorCode.NOT_FOUND } }] });
    } catch (error) {
      if (error instanceof HttpRequestError) writeJsonError(response, error);
      else {
        // The message may hold data from a library or the database; log only its kind.
        logger.error({ requestId, err: { name: (error as Error).name, code: (error as { code?: unknown }).code } }, 'request failed');
        if (!response.headersSent) writeJsonError(response, new HttpRequestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
        else response.end();
      }
    } finally {
      if (path !== '/health' && path !== '/ready' && path !== '/metrics') {
        // The route, never the raw path: a path below a prefix route may be a secret (Odoo's webhook token).
        logger.info({ requestId, method: request.method, route: route?.pattern ?? null, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'request');
      }
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portTaken(options) : error));
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const drainMs = options.drainMs ?? setting('SHUTDOWN_DRAIN_MS');
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    // Graceful: stop accepting, close idle keep-alive connections, let requests in flight finish
    // (their connections close once answered), and cut what is left after the drain time.
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        const cut = setTimeout(() => server.closeAllConnections(), drainMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** `listen EADDRINUSE` names neither the service nor what to change. */
function portTaken({ name, host = '127.0.0.1', port, portSetting }: HttpServiceOptions): Error {
  const remedy = portSetting ? `stop it, or choose another port with ${portSetting}` : 'stop it, or choose another port';
  return new Error(`the ${name} service cannot listen on ${host}:${port}: another process holds that port (a second npm start?); ${remedy}`);
}
