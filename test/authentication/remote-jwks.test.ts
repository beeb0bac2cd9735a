import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { remoteKeySet, type RemoteKeySetOptions } from '../../gateway/authentication/key-sets.ts';
import { createTokenVerifier } from '../../gateway/authentication/token-verifier.ts';
import { expectUnauthenticated } from './helpers.ts';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'healthcare-graph';

interface IssuerKey { kid: string; privateKey: CryptoKey; publicJwk: JWK }

async function issuerKey(kid: string): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

const tokenFrom = (key: IssuerKey) =>
  new SignJWT({ client_id: 'c' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('u').setExpirationTime('5m')
    .sign(key.privateKey);

/** An identity provider's JWKS endpoint whose published keys the test rotates. */
let published: { status: number; keys: JWK[] };
let fetches = 0;
let server: Server;
let jwksUrl: URL;

beforeAll(async () => {
  server = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(published.status, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

let first: IssuerKey;
let second: IssuerKey;
beforeEach(async () => {
  [first, second] = await Promise.all([issuerKey('2024-01'), issuerKey('2024-02')]);
  published = { status: 200, keys: [first.publicJwk] };
  fetches = 0;
});

const verifierAt = (url: URL, options?: RemoteKeySetOptions) =>
  createTokenVerifier({ keys: remoteKeySet(url, options), issuer: ISSUER, audience: AUDIENCE });

describe('keys fetched from the identity provider', () => {
  it('fetches once and serves later tokens from its cache', async () => {
    const verify = verifierAt(jwksUrl);
    await verify(await tokenFrom(first));
    await verify(await tokenFrom(first));
    expect(fetches).toBe(1);
  });

  it('accepts the new kid after the provider rotates its keys', async () => {
    const verify = verifierAt(jwksUrl, { cooldownMs: 0 });
    await expect(verify(await tokenFrom(first))).resolves.toMatchObject({ sub: 'u' });
    published.keys = [second.publicJwk];
    await expect(verify(await tokenFrom(second))).resolves.toMatchObject({ sub: 'u' });
    expect(fetches).toBe(2);
  });

  it('does not ask again for an unknown kid during the cooldown', async () => {
    const verify = verifierAt(jwksUrl);
    await verify(await tokenFrom(first));
    published.keys = [second.publicJwk];
    await expectUnauthenticated(verify(await tokenFrom(second)), 'UNKNOWN_KEY');
    expect(fetches).toBe(1);
  });

  it('refuses tokens when the provider answers with an error', async () => {
    published.status = 503;
    await expectUnauthenticated(verifierAt(jwksUrl)(await tokenFrom(first)), 'KEY_SET_UNAVAILABLE');
  });

  it('refuses tokens when the provider cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`);
    await new Promise((resolve) => closed.close(resolve));
    await expectUnauthenticated(verifierAt(url)(await tokenFrom(first)), 'KEY_SET_UNAVAILABLE');
  });
});
