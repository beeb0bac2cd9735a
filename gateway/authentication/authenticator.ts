import type { Caller } from '../../platform/caller.ts';
import { callerFromClaims } from './caller-claims.ts';
import { expiringCache } from '../../platform/cache.ts';
import type { TokenVerifier } from './token-verifier.ts';
import { unauthenticated } from './unauthenticated.ts';

/** The caller behind an Authorization header: null when there is none (anonymous). */
export type Authenticate = (authorizationHeader: string | undefined) => Promise<Caller | null>;

export interface AuthenticatorOptions {
  /** How many verified tokens are remembered; each is kept until its own expiry, never past it. */
  cacheSize?: number;
}

// RFC 6750: the scheme is case-insensitive, the token is a token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function createAuthenticator(verify: TokenVerifier, { cacheSize = 10_000 }: AuthenticatorOptions = {}): Authenticate {
  const verified = expiringCache<Caller>(cacheSize);
  return async (authorizationHeader) => {
    if (authorizationHeader === undefined) return null;
    const token = BEARER.exec(authorizationHeader)?.[1];
    if (!token) throw unauthenticated(/^Bearer\b/i.test(authorizationHeader) ? 'MALFORMED_TOKEN' : 'UNSUPPORTED_SCHEME');
    const remembered = verified.get(token);
    if (remembered) return remembered;
    const caller = frozen(callerFromClaims(await verify(token)));
    verified.set(token, caller, caller.expiresAt * 1000);
    return caller;
  };
}

/** A remembered caller is shared by every request bearing its token: none may change it for the others. */
function frozen(caller: Caller): Caller {
  Object.freeze(caller.roles);
  Object.freeze(caller.scopes);
  return Object.freeze(caller);
}
