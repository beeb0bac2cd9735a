import { join } from 'node:path';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { API_AUDIENCE, EMBEDDED_ISSUER } from '../../gateway/authentication/embedded-issuer.ts';
import { loadOrCreateSigningKey } from '../../gateway/authentication/key-store.ts';
import { dataDirectory } from '../../platform/config.ts';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface ForgedToken {
  name: string;
  token: string;
  /** The `extensions.reason` the gateway must answer with. */
  reason: string;
}

/**
 * Tokens an attacker could present to a gateway trusting the embedded issuer of `dataDir`: each
 * must be refused UNAUTHENTICATED, with the reason given.
 */
export async function forgedTokens(dataDir?: string): Promise<ForgedToken[]> {
  const issuerKey = await loadOrCreateSigningKey(join(dataDir ?? dataDirectory(), 'issuer'), 'ES256');
  const valid = (): JWTPayload => ({
    iss: EMBEDDED_ISSUER, aud: API_AUDIENCE, sub: 'u-1', client_id: 'portal-staff', roles: ['clinician'],
    scope: 'user/Patient.rs', purpose_of_use: 'TREAT', iat: nowSeconds(), exp: nowSeconds() + 300,
  });
  const sign = (claims: JWTPayload, key: CryptoKey | Uint8Array = issuerKey.privateKey, header = { alg: 'ES256', kid: issuerKey.kid }) =>
    new SignJWT(claims).setProtectedHeader(header).sign(key);
  const publicPem = await exportSPKI((await importJWK(issuerKey.publicJwk, 'ES256')) as CryptoKey);
  const stranger = (await generateKeyPair('ES256')).privateKey;
  const [header, , signature] = (await sign(valid())).split('.');
  return [
    { name: 'alg none', token: `${base64url({ alg: 'none', kid: issuerKey.kid })}.${base64url(valid())}.`, reason: 'ALGORITHM_NOT_ALLOWED' },
    {
      name: 'HS256 signed with the public key',
      token: await sign(valid(), new TextEncoder().encode(publicPem), { alg: 'HS256', kid: issuerKey.kid }),
      reason: 'ALGORITHM_NOT_ALLOWED',
    },
    { name: 'expired', token: await sign({ ...valid(), exp: nowSeconds() - 120 }), reason: 'TOKEN_EXPIRED' },
    { name: 'not yet valid', token: await sign({ ...valid(), nbf: nowSeconds() + 120 }), reason: 'TOKEN_NOT_YET_VALID' },
    { name: 'wrong issuer', token: await sign({ ...valid(), iss: 'https://evil.example' }), reason: 'BAD_ISSUER' },
    { name: 'wrong audience', token: await sign({ ...valid(), aud: 'billing-api' }), reason: 'BAD_AUDIENCE' },
    { name: 'unknown kid', token: await sign(valid(), stranger, { alg: 'ES256', kid: 'unknown' }), reason: 'UNKNOWN_KEY' },
    { name: 'tampered payload', token: `${header}.${base64url({ ...valid(), roles: ['admin'] })}.${signature}`, reason: 'BAD_SIGNATURE' },
  ];
}
