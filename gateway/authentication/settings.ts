import { createLocalJWKSet } from 'jose';
import { dataDirectory, setting, type RunMode } from '../../platform/config.ts';
import { API_AUDIENCE, EMBEDDED_ISSUER, openEmbeddedIssuer, type EmbeddedIssuer, type EmbeddedIssuerOptions } from './embedded-issuer.ts';
import { fileKeySet, remoteKeySet } from './key-sets.ts';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.ts';

/** The embedded issuer, in `dataDir` (DATA_DIR by default); AUTH_ISSUER and AUTH_AUDIENCE rename it. */
export function embeddedIssuerOptions(dataDir = dataDirectory()): EmbeddedIssuerOptions {
  return { dataDir, issuer: setting('AUTH_ISSUER') ?? EMBEDDED_ISSUER, audience: setting('AUTH_AUDIENCE') };
}

/**
 * The verifier of the gateway's bearer tokens. A real identity provider is named by AUTH_JWKS_URL
 * (or AUTH_JWKS_FILE) with AUTH_ISSUER and AUTH_AUDIENCE. The embedded issuer is trusted only in
 * embedded mode and only when no identity provider is named, so a production gateway can never
 * accept tokens minted from a key lying in its data directory.
 */
export async function verifierFromSettings(mode: RunMode, dataDir?: string): Promise<TokenVerifier> {
  const url = setting('AUTH_JWKS_URL');
  const file = setting('AUTH_JWKS_FILE');
  if (url && file) throw new Error('Set AUTH_JWKS_URL or AUTH_JWKS_FILE, not both');
  const keys = url ? remoteKeySet(new URL(url)) : file ? await fileKeySet(file) : undefined;
  if (keys) {
    const issuer = setting('AUTH_ISSUER');
    if (!issuer) throw new Error('AUTH_ISSUER is required with AUTH_JWKS_URL or AUTH_JWKS_FILE');
    return createTokenVerifier({ keys, issuer, audience: setting('AUTH_AUDIENCE') });
  }
  const embedded = await trustedEmbeddedIssuer(mode, dataDir);
  if (!embedded) throw new Error('AUTH_JWKS_URL or AUTH_JWKS_FILE is required outside embedded mode');
  return createTokenVerifier({ keys: createLocalJWKSet(embedded.jwks), issuer: embedded.issuer, audience: embedded.audience });
}

/** The embedded issuer when the gateway trusts it: embedded mode with no identity provider named. */
export async function trustedEmbeddedIssuer(mode: RunMode, dataDir?: string): Promise<EmbeddedIssuer | undefined> {
  if (mode !== 'embedded' || setting('AUTH_JWKS_URL') || setting('AUTH_JWKS_FILE')) return undefined;
  return openEmbeddedIssuer(embeddedIssuerOptions(dataDir));
}
