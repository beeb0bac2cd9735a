import { join } from 'node:path';
import { dataDirectory } from '../../platform/config.ts';
import { signInternalToken } from '../../platform/internal-token.ts';
import type { Caller } from '../../platform/caller.ts';
import { ExpiringCache } from './expiring-cache.ts';
import { loadOrCreateSigningKey, type SigningKey } from './key-store.ts';

/** The gateway's own key pair for internal tokens, kept in `<dataDir>/internal/` beside the issuer's. */
export function loadInternalSigningKey(dataDir = dataDirectory()): Promise<SigningKey> {
  return loadOrCreateSigningKey(join(dataDir, 'internal'), 'EdDSA');
}

export interface InternalTokenSignerOptions {
  ttlSeconds?: number;
  /** A cached token is not handed out once it has less than this left to live. */
  reuseMarginSeconds?: number;
  cacheSize?: number;
}

/** The internal token for one subgraph call. */
export type SignInternalToken = (caller: Caller | null, requestId: string) => Promise<string>;

/**
 * Signs internal tokens, reusing one for the same caller and request (a query plan calls
 * subgraphs many times) instead of signing each call.
 */
export function createInternalTokenSigner(
  key: SigningKey,
  { ttlSeconds = 60, reuseMarginSeconds = 10, cacheSize = 10_000 }: InternalTokenSignerOptions = {},
): SignInternalToken {
  const signed = new ExpiringCache<string>(cacheSize);
  return async (caller, requestId) => {
    const cacheKey = JSON.stringify([requestId, caller]);
    const reusable = signed.get(cacheKey);
    if (reusable) return reusable;
    const { token, expiresAt } = await signInternalToken({ caller, requestId }, key, ttlSeconds);
    signed.set(cacheKey, token, (expiresAt - reuseMarginSeconds) * 1000);
    return token;
  };
}
