import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphDataSource } from '../../gateway/subgraph-data-source.ts';
import { openSubgraphConnection } from '../../gateway/subgraph-connection.ts';
import type { Caller } from '../../platform/caller.ts';

type Answer = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const json = (status: number, value: unknown): Answer => (_request, _body, response) => {
  response.writeHead(status, { 'content-type': 'application/json', 'x-served-by': ['one', 'two'] }).end(JSON.stringify(value));
};

let answer: Answer = json(200, { data: { __typename: 'Query' } });
const received: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];
const subgraph = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    received.push({ method: request.method, url: request.url, headers: request.headers, body });
    answer(request, body, response);
  });
});
let url: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql?from=gateway`;
});
afterEach(() => {
  answer = json(200, { data: { __typename: 'Query' } });
  received.length = 0;
});
afterAll(() => new Promise<void>((resolve) => subgraph.close(() => resolve())));

const caller: Caller = { subject: 'demo-clerk', clientId: 'portal-staff', roles: ['front_desk'], scopes: [], expiresAt: 0 };

function dataSourceFor(target: string, timeoutMs = 1_000) {
  const signed: Array<Caller | null> = [];
  const dataSource = new SubgraphDataSource({
    name: 'patients',
    url: target,
    timeoutMs,
    signInternalToken: async (who) => {
      signed.push(who);
      return 'internal-token';
    },
  });
  // A health check: a call without an incoming operation. Its kind's enum is not exported, only its value.
  const call = (context: Record<string, unknown> = {}) =>
    dataSource.process({ kind: 'health check', request: { query: '{ __typename }' }, context } as Parameters<SubgraphDataSource['process']>[0]);
  return { dataSource, signed, call };
}

const unavailable = { extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'patients' }, message: 'The patients service is unavailable' };

describe('a subgraph call', () => {
  it("carries the request id and the caller's internal token, and answers the subgraph's data", async () => {
    const { dataSource, signed, call } = dataSourceFor(url);
    await expect(call({ requestId: 'req-7', caller })).resolves.toMatchObject({ data: { __typename: 'Query' } });
    expect(signed).toEqual([caller]);
    expect(received).toMatchObject([
      { method: 'POST', url: '/graphql?from=gateway', headers: { 'x-request-id': 'req-7', authorization: 'Bearer internal-token' } },
    ]);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ query: '{ __typename }' });
    await dataSource.close();
  });

  it('becomes UPSTREAM_UNAVAILABLE when the subgraph answers 5xx', async () => {
    answer = json(503, { errors: [{ message: 'database is down at 10.0.0.7' }] });
    const { dataSource, call } = dataSourceFor(url);
    await expect(call()).rejects.toMatchObject(unavailable);
    await dataSource.close();
  });

  // Issue 11, finding 8: a variable the subgraph could not coerce was answered "the patients service is unavailable".
  it('becomes BAD_USER_INPUT, without the subgraph\'s words, when the subgraph refused the input with 400', async () => {
    answer = json(400, { errors: [{ message: 'Variable "$d" got invalid value "2019-02-31"', extensions: { code: 'BAD_USER_INPUT' } }] });
    const { dataSource, call } = dataSourceFor(url);
    const refusal: unknown = await call().catch((error: unknown) => error);
    expect(refusal).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE' } });
    expect((refusal as Error).message).not.toContain('2019-02-31');
    await dataSource.close();
  });

  it('stays UPSTREAM_UNAVAILABLE for any other 400', async () => {
    answer = json(400, { errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }] });
    const { dataSource, call } = dataSourceFor(url);
    await expect(call()).rejects.toMatchObject(unavailable);
    await dataSource.close();
  });

  it('becomes UPSTREAM_UNAVAILABLE when the subgraph does not answer in time', async () => {
    answer = () => undefined;
    const { dataSource, call } = dataSourceFor(url, 200);
    const started = performance.now();
    await expect(call()).rejects.toMatchObject(unavailable);
    expect(performance.now() - started).toBeLessThan(2_000);
    await dataSource.close();
  });

  it('becomes UPSTREAM_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { dataSource, call } = dataSourceFor(`http://127.0.0.1:${port}/graphql`);
    await expect(call()).rejects.toMatchObject(unavailable);
    await dataSource.close();
  });
});

describe('a subgraph connection', () => {
  it("answers a response's status and headers, read-only, and its body once", async () => {
    const connection = openSubgraphConnection(url, 1_000);
    const response = await connection.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([response.status, response.ok, response.statusText, response.url]).toEqual([200, true, 'OK', url]);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('x-served-by')).toBe('one, two');
    expect(response.headers.has('x-missing')).toBe(false);
    expect(() => response.headers.set('content-type', 'text/plain')).toThrow(TypeError);
    await expect(response.json()).resolves.toEqual({ data: { __typename: 'Query' } });
    expect(response.bodyUsed).toBe(true);
    await connection.close();
  });

  it('reaches its own endpoint only', async () => {
    const connection = openSubgraphConnection(url, 1_000);
    await expect(connection.fetch('http://127.0.0.1:1/graphql')).rejects.toThrow(/reaches .* only/);
    expect(received).toEqual([]);
    await connection.close();
  });
});
