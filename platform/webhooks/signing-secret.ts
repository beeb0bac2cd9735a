import { randomBytes } from 'node:crypto';

/**
 * Signing secrets in the Standard Webhooks form: `whsec_` and the base64 of 24 to 64 random bytes,
 * which are the HMAC key. Unique per endpoint.
 */
const PREFIX = 'whsec_';
const MIN_BYTES = 24;
const MAX_BYTES = 64;

export const newSigningSecret = () => PREFIX + randomBytes(32).toString('base64');

function decoded(secret: string): Buffer | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  const encoded = secret.slice(PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from skips what is not base64; only a round trip proves the text was.
  const canonical = key.toString('base64') === encoded;
  return canonical && key.length >= MIN_BYTES && key.length <= MAX_BYTES ? key : undefined;
}

export const isSigningSecret = (secret: string) => decoded(secret) !== undefined;

/** The HMAC key of a secret; throws on one that is not a signing secret. */
export function signingKey(secret: string): Buffer {
  const key = decoded(secret);
  if (!key) throw new TypeError('Not a whsec_ signing secret');
  return key;
}
