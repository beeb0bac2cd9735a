import { GraphQLError } from 'graphql';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirectory, setting } from './config.ts';
import { expiringCache, type ExpiringCache } from './cache.ts';
import { ErrorCode, type AuthenticationReason } from './errors.ts';
import type { Caller } from './caller.ts';

/**
 * The token the gateway puts on every subgraph call: who the caller is, as the gateway
 * established it. Subgraphs trust nothing else, so a subgraph reached around the gateway answers
 * 401. It names no request: the gateway reuses one per caller for many requests (an EdDSA
 * signature per request was 7–8% of its CPU); the request id travels as `x-request-id` beside it.
 */
export const INTERNAL_TOKEN_ISSUER = 'healthcare-graph-gateway';
export const INTERNAL_TOKEN_AUDIENCE = 'subgraph';
export const INTERNAL_TOKEN_ALGORITHM = 'EdDSA';

export interface InternalCall {
  /** Null for an anonymous request: it still came through the gateway, which is what the token proves. */
  caller: Caller | null;
}

export interface InternalSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** Signs a call for `ttlSeconds`, never past the caller's own token; answers the token and its expiry. */
export async function signInternalToken(
  { caller }: InternalCall,
  key: InternalSigningKey,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = Math.min(Math.floor(Date.now() / 1000) + ttlSeconds, caller?.expiresAt ?? Infinity);
  const token = await new SignJWT({ caller })
    .setProtectedHeader({ alg: INTERNAL_TOKEN_ALGORITHM, kid: key.kid })
    .setIssuer(INTERNAL_TOKEN_ISSUER)
    .setAudience(INTERNAL_TOKEN_AUDIENCE)
    .setSubject(caller?.subject ?? 'anonymous')
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, expiresAt };
}

/** What a subgraph verifies internal tokens with: one JWK, a JWKS while keys rotate, or the gateway's JWKS endpoint. */
export type GatewayPublicKeys = JWK | JSONWebKeySet | JWTVerifyGetKey;

const keySets = new WeakMap<JWK | JSONWebKeySet, JWTVerifyGetKey>();

/**
 * Tokens already verified against a set of keys, until they expire. The gateway reuses a caller's
 * token for most of its minute (createInternalTokenSigner), so a subgraph checks its signature
 * once, not on every call. Per key set: a token is never taken on the word of other keys.
 */
const verifiedBy = new WeakMap<object, ExpiringCache<InternalCall>>();
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * The call a token stands for, given the gateway's public key (one JWK, or a JWKS while keys
 * rotate). Throws UNAUTHENTICATED, to be answered with 401, when the token is missing or bad.
 */
export async function verifyInternalToken(token: string | undefined, publicKey: GatewayPublicKeys): Promise<InternalCall> {
  if (!token) throw rejected('INTERNAL_TOKEN_MISSING');
  let verified = verifiedBy.get(publicKey);
  if (!verified) verifiedBy.set(publicKey, (verified = expiringCache(VERIFIED_TOKENS_KEPT)));
  const known = verified.get(token);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, keySetOf(publicKey), {
      issuer: INTERNAL_TOKEN_ISSUER,
      audience: INTERNAL_TOKEN_AUDIENCE,
      algorithms: [INTERNAL_TOKEN_ALGORITHM],
      clockTolerance: 5,
      requiredClaims: ['exp'],
    });
    const { caller } = payload;
    if (caller !== null && !isCaller(caller)) throw new TypeError('internal token claims are malformed');
    const call = { caller };
    // Kept until its exp, without the clock tolerance a first check allows.
    verified.set(token, call, payload.exp! * 1000);
    return call;
  } catch (error) {
    throw rejected('INTERNAL_TOKEN_REJECTED', error);
  }
}

function keySetOf(publicKey: GatewayPublicKeys): JWTVerifyGetKey {
  if (typeof publicKey === 'function') return publicKey;
  let keySet = keySets.get(publicKey);
  if (!keySet) {
    keySet = createLocalJWKSet('keys' in publicKey ? publicKey : { keys: [publicKey] });
    keySets.set(publicKey, keySet);
  }
  return keySet;
}

/** `originalError` keeps jose's reason for the subgraph's log; the caller sees only the code. */
function rejected(reason: AuthenticationReason, originalError?: unknown): GraphQLError {
  return new GraphQLError('This service answers calls from the gateway only', {
    originalError: originalError instanceof Error ? originalError : undefined,
    extensions: { code: ErrorCode.UNAUTHENTICATED, reason, http: { status: 401 } },
  });
}

function isCaller(value: unknown): value is Caller {
  const c = value as Partial<Record<keyof Caller, unknown>> | null;
  const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
  const texts = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === 'string');
  return (
    typeof c === 'object' && c !== null &&
    typeof c.subject === 'string' && typeof c.clientId === 'string' &&
    texts(c.roles) && texts(c.scopes) &&
    optionalText(c.patientId) && optionalText(c.organizationId) && optionalText(c.purposeOfUse) &&
    typeof c.expiresAt === 'number'
  );
}

/**
 * The gateway's public keys for a subgraph: GATEWAY_JWKS_URL, read when the first call arrives (and
 * again for a key it has not seen, at most every 30 s), so a subgraph may start before the gateway;
 * else the file of gatewayPublicKeyFileFromEnv.
 */
export function gatewayPublicKeysFromEnv(): GatewayPublicKeys {
  const url = setting('GATEWAY_JWKS_URL');
  return url ? createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000 }) : gatewayPublicKeyFileFromEnv();
}

/**
 * The gateway's public key for internal tokens as a file: GATEWAY_PUBLIC_JWKS_FILE, or the one the
 * embedded gateway keeps in the data directory.
 */
export function gatewayPublicKeyFileFromEnv(): JSONWebKeySet {
  const file = setting('GATEWAY_PUBLIC_JWKS_FILE') ?? join(dataDirectory(), 'internal', 'jwks.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet;
  } catch {
    throw new Error(`No gateway public key at ${file}: set GATEWAY_JWKS_URL to the gateway's /.well-known/jwks.json, or GATEWAY_PUBLIC_JWKS_FILE to the jwks.json npm run keys:gateway wrote`);
  }
}
