import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GraphCallError, gatewayClient } from '../../workflows/graph-client.ts';

const QUERY = '{ __typename }';
const token = async () => 'service-token';

/** A port nothing listens on: one that was listened on and closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failureOf(call: Promise<unknown>): Promise<GraphCallError> {
  const error = await call.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(GraphCallError);
  return error as GraphCallError;
}

describe('the workflows\' graph client', () => {
  it('names a refused connection as such, transient', async () => {
    const client = gatewayClient(`http://127.0.0.1:${await closedPort()}/graphql`, token);
    const error = await failureOf(client.call('registerPatient', QUERY, {}, 'HOPERAT'));
    expect([error.code, error.reason, error.transient]).toEqual(['UPSTREAM_UNAVAILABLE', 'GATEWAY_CONNECTION_REFUSED', true]);
  });

  it('names a host that is not found', async () => {
    const client = gatewayClient('http://gateway.invalid/graphql', token);
    const error = await failureOf(client.call('registerPatient', QUERY, {}, 'HOPERAT'));
    expect([error.code, error.reason]).toEqual(['UPSTREAM_UNAVAILABLE', 'GATEWAY_HOST_NOT_FOUND']);
  });

  it('does not report a token that could not be had as a gateway that could not be reached', async () => {
    let reached = false;
    const server = createServer((_req, res) => ((reached = true), res.end('{}')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = gatewayClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, async () => {
        throw new Error('The identity provider answered 503');
      });
      const error = await failureOf(client.call('registerPatient', QUERY, {}, 'HOPERAT'));
      expect([error.code, error.reason]).toEqual(['UPSTREAM_UNAVAILABLE', 'SERVICE_TOKEN_UNAVAILABLE']);
      expect(reached).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('says when a refused call may come back, as the gateway\'s Retry-After does', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
      res.end(JSON.stringify({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = gatewayClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, token);
      const error = await failureOf(client.call('bookAppointment', QUERY, {}, 'HOPERAT'));
      expect([error.code, error.retryAfterMs, error.transient]).toEqual(['RATE_LIMITED', 3000, true]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
