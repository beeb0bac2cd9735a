import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text as readText } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProxiedRequest {
  path: string;
  /** The raw request body. */
  body: string;
  /** What Odoo answered, once it has: the recordings of test/odoo/fixtures are made from these. */
  answer?: { status: number; contentType: string; body: string };
}

/**
 * Sits between the client and an Odoo (bundled or real) on loopback: records every request,
 * and answers 503 or holds requests back on demand, so the same fault tests run against both.
 */
export interface FaultProxy {
  url: string;
  /** Every request that reached the proxy, including the ones it failed. */
  requests: ProxiedRequest[];
  /** The next `count` requests are answered `status` without reaching Odoo. */
  failNext(count: number, status: number): void;
  /** The next request reaches Odoo only after `ms`. */
  delayNext(ms: number): void;
  /** While down, every request is answered 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['content-type', 'authorization', 'x-odoo-database', 'user-agent'];

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const requests: ProxiedRequest[] = [];
  const closing = new AbortController();
  let failures = { count: 0, status: 503 };
  let delayMs = 0;
  let down = false;

  const server = createServer(async (request, response) => {
    const body = await readText(request);
    const proxied: ProxiedRequest = { path: request.url ?? '/', body };
    requests.push(proxied);
    if (down || failures.count > 0) {
      if (!down) failures.count--;
      response.writeHead(down ? 503 : failures.status, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const wait = delayMs;
    delayMs = 0;
    try {
      if (wait > 0) await sleep(wait, undefined, { signal: closing.signal });
      const headers = Object.fromEntries(FORWARDED_HEADERS.flatMap((name) => (request.headers[name] ? [[name, String(request.headers[name])]] : [])));
      const upstream = await fetch(`${target}${request.url ?? '/'}`, { method: request.method, headers, body, signal: closing.signal });
      const answer = await upstream.text();
      const contentType = upstream.headers.get('content-type') ?? 'text/plain';
      proxied.answer = { status: upstream.status, contentType, body: answer };
      response.writeHead(upstream.status, { 'content-type': contentType }).end(answer);
    } catch {
      if (!response.destroyed) response.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext: (count, status) => {
      failures = { count, status };
    },
    delayNext: (ms) => {
      delayMs = ms;
    },
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

