import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface RemoteKeySetOptions {
  /** After a fetch, how long an unknown `kid` is rejected without asking the issuer again. */
  cooldownMs?: number;
  /** How long fetched keys are trusted before they are fetched again. */
  cacheMaxAgeMs?: number;
  timeoutMs?: number;
}

/**
 * An identity provider's published keys. jose caches them, and refetches when a token names a
 * `kid` it does not know (key rotation), at most once per cooldown so junk tokens cannot make us
 * hammer the issuer.
 */
export function remoteKeySet(url: URL, options: RemoteKeySetOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(url, {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    timeoutDuration: options.timeoutMs,
  });
}

/** A JWKS file, read once: rotating it means restarting, as with any other setting. */
export async function fileKeySet(path: string): Promise<JWTVerifyGetKey> {
  return createLocalJWKSet(JSON.parse(await readFile(path, 'utf8')) as JSONWebKeySet);
}
