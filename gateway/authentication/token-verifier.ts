import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createLogger } from '../../platform/logger.ts';
import { unauthenticated, type AuthenticationFailure } from './unauthenticated.ts';

/**
 * Asymmetric algorithms only: `none` and HMAC (which would let anyone holding the public key,
 * used as a shared secret, sign tokens) can never pass.
 */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

export interface TokenVerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Accepted clock skew between us and the issuer for `nbf` (a token just issued by a clock ahead of ours); `exp` is exact. */
  clockToleranceSeconds?: number;
}

/** Verifies a bearer JWT and answers its claims, or throws UNAUTHENTICATED with a reason. */
export type TokenVerifier = (token: string) => Promise<JWTPayload>;

const log = createLogger('gateway').child({ component: 'authentication' });

export function createTokenVerifier({ keys, issuer, audience, clockToleranceSeconds = 30 }: TokenVerifierOptions): TokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp'],
      });
      // Exact, as the subgraphs hold the internal token to it: a token accepted past its expiry signed an
      // internal one already expired, and the caller got UPSTREAM_UNAVAILABLE instead of 401.
      if (payload.exp! <= Date.now() / 1000) throw new errors.JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed');
      return payload;
    } catch (error) {
      const reason = failureOf(error);
      if (reason === 'KEY_SET_UNAVAILABLE') log.warn({ error: String(error) }, 'issuer keys unavailable');
      throw unauthenticated(reason);
    }
  };
}

const failuresByJoseCode: Record<string, AuthenticationFailure> = {
  ERR_JWT_EXPIRED: 'TOKEN_EXPIRED',
  ERR_JOSE_ALG_NOT_ALLOWED: 'ALGORITHM_NOT_ALLOWED',
  ERR_JWKS_NO_MATCHING_KEY: 'UNKNOWN_KEY',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'UNKNOWN_KEY',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'BAD_SIGNATURE',
  ERR_JWKS_TIMEOUT: 'KEY_SET_UNAVAILABLE',
  // jose raises its generic error only when the issuer's JWKS endpoint answers badly.
  ERR_JOSE_GENERIC: 'KEY_SET_UNAVAILABLE',
};

const failuresByClaim: Record<string, AuthenticationFailure> = {
  iss: 'BAD_ISSUER',
  aud: 'BAD_AUDIENCE',
  nbf: 'TOKEN_NOT_YET_VALID',
};

function failureOf(error: unknown): AuthenticationFailure {
  // Anything jose did not raise itself comes from fetching the issuer's keys (network down).
  if (!(error instanceof errors.JOSEError)) return 'KEY_SET_UNAVAILABLE';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claimFailure = error.reason === 'invalid' ? undefined : failuresByClaim[error.claim];
    return claimFailure ?? 'MALFORMED_CLAIMS';
  }
  return failuresByJoseCode[error.code] ?? 'MALFORMED_TOKEN';
}
