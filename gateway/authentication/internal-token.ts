import { join } from 'node:path';
import { dataDirectory, setting } from '../../platform/config.ts';
import { signInternalToken } from '../../platform/internal-token.ts';
import type { Caller } from '../../platform/caller.ts';
import { expiringCache } from '../../platform/cache.ts';
import { loadOrCreateSigningKey, loadSigningKey, type SigningKey } from './key-store.ts';

/**
 * The gateway's own key pair for internal tokens: the shared one GATEWAY_INTERNAL_KEY_FILE names
 * (every replica signs alike), else one kept in `<dataDir>/internal/` beside the issuer's.
 */
export function loadInternalSigningKey(dataDir = dataDirectory()): Promise<SigningKey> {
  const shared = setting('GATEWAY_INTERNAL_KEY_FILE');
  return shared ? loadSigningKey(shared, 'EdDSA', 'GATEWAY_INTERNAL_KEY_FILE') : loadOrCreateSigningKey(join(dataDir, 'internal'), 'EdDSA');
}

export interface InternalTokenSignerOptions {
  ttlSeconds?: number;
  /** A cached token is signed anew once less than this share of its lifetime is left. */
  renewWithinShare?: number;
  cacheSize?: number;
}

/** The internal token for a caller's subgraph calls (null: an anonymous request). */
export type SignInternalToken = (caller: Caller | null) => Promise<string>;

/**
 * Signs internal tokens, one per caller reused across its requests until most of its lifetime is
 * spent, instead of an EdDSA signature per request. Keyed by the caller as the token carries it, so
 * a caller whose rights or expiry changed gets a token of its own.
 */
export function createInternalTokenSigner(
  key: SigningKey,
  { ttlSeconds = 60, renewWithinShare = 0.2, cacheSize = 10_000 }: InternalTokenSignerOptions = {},
): SignInternalToken {
  const signed = expiringCache<string>(cacheSize);
  return async (caller) => {
    const cacheKey = JSON.stringify(caller);
    const reusable = signed.get(cacheKey);
    if (reusable) return reusable;
    const signedAtMs = Date.now();
    const { token, expiresAt } = await signInternalToken({ caller }, key, ttlSeconds);
    const expiresAtMs = expiresAt * 1000;
    signed.set(cacheKey, token, expiresAtMs - (expiresAtMs - signedAtMs) * renewWithinShare);
    return token;
  };
}
