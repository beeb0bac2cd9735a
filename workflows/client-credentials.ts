import type { PurposeOfUse } from '../policies/roles.ts';
import type { ServiceIdentity } from './graph-client.ts';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The service identity from the identity provider (OAuth 2.0 client credentials), one token per
 * purpose of use, asked for as `purpose_of_use` and kept until a minute before it expires.
 */
export function clientCredentialsIdentity({ tokenUrl, clientId, clientSecret }: ClientCredentials): ServiceIdentity {
  const tokens = new Map<PurposeOfUse, { token: string; renewAt: number }>();
  return async (purpose) => {
    const held = tokens.get(purpose);
    if (held && held.renewAt > Date.now()) return held.token;
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', purpose_of_use: purpose }),
    });
    if (!response.ok) throw new Error(`The identity provider answered ${response.status} to the workflows' token request`);
    const { access_token: token, expires_in: expiresIn = 300 } = (await response.json()) as { access_token: string; expires_in?: number };
    tokens.set(purpose, { token, renewAt: Date.now() + Math.max(0, expiresIn - 60) * 1000 });
    return token;
  };
}
