import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, type Authenticate } from '../../gateway/authentication/authenticator.ts';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { loadOrCreateSigningKey, type SigningKey } from '../../gateway/authentication/key-store.ts';
import { createTokenVerifier } from '../../gateway/authentication/token-verifier.ts';
import { expectUnauthenticated, nowSeconds, suiteDataDir } from './helpers.ts';

const ISSUER = 'http://localhost/embedded-issuer';
const AUDIENCE = 'healthcare-graph';

let authenticate: Authenticate;
let issuerKey: SigningKey;

beforeAll(async () => {
  const dataDir = await suiteDataDir();
  const issuer = await openEmbeddedIssuer({ dataDir });
  issuerKey = await loadOrCreateSigningKey(join(dataDir, 'issuer'), 'ES256');
  authenticate = createAuthenticator(createTokenVerifier({ keys: createLocalJWKSet(issuer.jwks), issuer: ISSUER, audience: AUDIENCE }));
});

const validClaims = (): JWTPayload => ({
  iss: ISSUER, aud: AUDIENCE, sub: 'u-1', client_id: 'portal-staff', roles: ['clinician'], iat: nowSeconds(), exp: nowSeconds() + 300,
});

function sign(claims: JWTPayload, key: CryptoKey | Uint8Array = issuerKey.privateKey, header: { alg: string; kid?: string } = { alg: 'ES256', kid: issuerKey.kid }) {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string) => `Bearer ${token}`;

describe('a bearer token that must not pass', () => {
  it('is accepted when it is valid, as a baseline', async () => {
    await expect(authenticate(bearer(await sign(validClaims())))).resolves.toMatchObject({ subject: 'u-1' });
  });

  it('alg none is not an algorithm', async () => {
    const unsigned = `${base64url({ alg: 'none', kid: issuerKey.kid })}.${base64url(validClaims())}.`;
    await expectUnauthenticated(authenticate(bearer(unsigned)), 'ALGORITHM_NOT_ALLOWED');
  });

  it('HS256 signed with the public key as the secret', async () => {
    const publicPem = await exportSPKI((await importJWK(issuerKey.publicJwk, 'ES256')) as CryptoKey);
    const forged = await sign(validClaims(), new TextEncoder().encode(publicPem), { alg: 'HS256', kid: issuerKey.kid });
    await expectUnauthenticated(authenticate(bearer(forged)), 'ALGORITHM_NOT_ALLOWED');
  });

  // Expiry is exact (issue 11, finding 8): the internal token it signs may not outlive it.
  it.each([1, 10, 31])('expired %i s ago', async (seconds) => {
    await expectUnauthenticated(authenticate(bearer(await sign({ ...validClaims(), exp: nowSeconds() - seconds }))), 'TOKEN_EXPIRED');
  });

  it('issued by a clock a little ahead of ours still passes', async () => {
    await expect(authenticate(bearer(await sign({ ...validClaims(), nbf: nowSeconds() + 10 })))).resolves.toBeTruthy();
  });

  it('not yet valid', async () => {
    await expectUnauthenticated(authenticate(bearer(await sign({ ...validClaims(), nbf: nowSeconds() + 120 }))), 'TOKEN_NOT_YET_VALID');
  });

  it('from another issuer', async () => {
    await expectUnauthenticated(authenticate(bearer(await sign({ ...validClaims(), iss: 'https://evil.example' }))), 'BAD_ISSUER');
  });

  it('for another audience', async () => {
    await expectUnauthenticated(authenticate(bearer(await sign({ ...validClaims(), aud: 'billing-api' }))), 'BAD_AUDIENCE');
  });

  it('signed by a key the issuer does not publish', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectUnauthenticated(authenticate(bearer(await sign(validClaims(), privateKey, { alg: 'ES256', kid: 'unknown' }))), 'UNKNOWN_KEY');
  });

  it('signed by another key under the published kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectUnauthenticated(authenticate(bearer(await sign(validClaims(), privateKey))), 'BAD_SIGNATURE');
  });

  it('with a tampered payload', async () => {
    const [header, , signature] = (await sign(validClaims())).split('.');
    const tampered = `${header}.${base64url({ ...validClaims(), roles: ['admin'] })}.${signature}`;
    await expectUnauthenticated(authenticate(bearer(tampered)), 'BAD_SIGNATURE');
  });

  it.each(['garbage', 'a.b.c', `${Buffer.from('not json').toString('base64url')}.e30.sig`])('garbage: %s', async (token) => {
    await expectUnauthenticated(authenticate(bearer(token)), 'MALFORMED_TOKEN');
  });

  it('without an expiry', async () => {
    const { exp: _exp, ...claims } = validClaims();
    await expectUnauthenticated(authenticate(bearer(await sign(claims))), 'MALFORMED_CLAIMS');
  });

  it('with a subject that is not a string', async () => {
    await expectUnauthenticated(authenticate(bearer(await sign({ ...validClaims(), sub: 42 } as unknown as JWTPayload))), 'MALFORMED_CLAIMS');
  });

  it('never repeats its claims in the error', async () => {
    const error = await authenticate(bearer(await sign({ ...validClaims(), aud: 'Jane Doe 1970-01-01' }))).catch((e: unknown) => e);
    expect(JSON.stringify(error)).not.toContain('Jane Doe');
    expect(String(error)).not.toContain('Jane Doe');
  });
});

describe('the Authorization header', () => {
  it('absent means anonymous', async () => {
    await expect(authenticate(undefined)).resolves.toBeNull();
  });

  it.each(['Basic dXNlcjpwYXNz', '', 'Token abc'])('another scheme is refused: "%s"', async (header) => {
    await expectUnauthenticated(authenticate(header), 'UNSUPPORTED_SCHEME');
  });

  it.each(['Bearer', 'Bearer ', 'Bearer a b'])('a bearer without one token is refused: "%s"', async (header) => {
    await expectUnauthenticated(authenticate(header), 'MALFORMED_TOKEN');
  });

  it('accepts the scheme in any case', async () => {
    await expect(authenticate(`bearer ${await sign(validClaims())}`)).resolves.toMatchObject({ subject: 'u-1' });
  });
});

describe('the algorithm allow-list', () => {
  async function tokenFromPublishedKey(alg: string) {
    const { publicKey, privateKey } = await generateKeyPair(alg);
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] });
    const verify = createTokenVerifier({ keys, issuer: ISSUER, audience: AUDIENCE });
    return verify(await sign(validClaims(), privateKey, { alg, kid: 'k1' }));
  }

  it.each(['RS256', 'EdDSA'])('accepts %s from a published key', async (alg) => {
    await expect(tokenFromPublishedKey(alg)).resolves.toMatchObject({ sub: 'u-1' });
  });

  it('refuses RS384 even from a published key', async () => {
    await expectUnauthenticated(tokenFromPublishedKey('RS384'), 'ALGORITHM_NOT_ALLOWED');
  });
});
