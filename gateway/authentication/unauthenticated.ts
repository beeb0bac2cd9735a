import { DomainError, ErrorCode, type AuthenticationReason } from '../../platform/errors.ts';

/**
 * Why the gateway did not authenticate a caller (the UNAUTHENTICATED reasons of platform/errors.ts
 * other than the internal token's), with the message they see. Messages never repeat a claim: a token
 * may carry patient data, and an attacker learns nothing from a rejection.
 */
const messages = {
  UNSUPPORTED_SCHEME: 'Authorization must use the Bearer scheme',
  MALFORMED_TOKEN: 'The bearer token is not a well-formed JWT',
  ALGORITHM_NOT_ALLOWED: 'The bearer token is signed with an algorithm that is not allowed',
  UNKNOWN_KEY: 'The bearer token is signed with a key the issuer does not publish',
  BAD_SIGNATURE: 'The bearer token signature is invalid',
  TOKEN_EXPIRED: 'The bearer token has expired',
  TOKEN_NOT_YET_VALID: 'The bearer token is not valid yet',
  BAD_ISSUER: 'The bearer token was not issued by a trusted issuer',
  BAD_AUDIENCE: 'The bearer token is not meant for this API',
  MALFORMED_CLAIMS: 'The bearer token claims are missing or malformed',
  KEY_SET_UNAVAILABLE: "The issuer's keys could not be fetched; try again later",
} as const satisfies Partial<Record<AuthenticationReason, string>>;

export type AuthenticationFailure = keyof typeof messages;

/** `http.status` lets Apollo Server answer 401 when this is thrown while building the context. */
export function unauthenticated(reason: AuthenticationFailure, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, messages[reason], { reason, ...details, http: { status: 401 } });
}
