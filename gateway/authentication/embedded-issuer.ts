import { join } from 'node:path';
import { SignJWT, type JSONWebKeySet } from 'jose';
import { dataDirectory } from '../../platform/config.ts';
import { isRoleName, purposesOfUse, roleNames, roles, type PurposeOfUse, type RoleName } from '../../policies/roles.ts';
import { loadOrCreateSigningKey } from './key-store.ts';

export const EMBEDDED_ISSUER = 'http://localhost/embedded-issuer';
export const API_AUDIENCE = 'healthcare-graph';

export interface EmbeddedIssuerOptions {
  dataDir?: string;
  issuer?: string;
  audience?: string;
}

export interface TokenRequest {
  role: string;
  subject?: string;
  client?: string;
  patient?: string;
  organization?: string;
  purpose?: string;
  scopes?: string[];
  ttlSeconds?: number;
}

export interface EmbeddedIssuer {
  issuer: string;
  audience: string;
  /** The public keys a verifier trusts this issuer by. */
  jwks: JSONWebKeySet;
  issueToken(request: TokenRequest): Promise<string>;
}

/**
 * The identity provider of embedded mode: signs tokens for the demo roles with a key generated in
 * `<dataDir>/issuer/` (DATA_DIR, `.data` by default). Whatever the request leaves out comes from
 * the role's policy.
 */
export async function openEmbeddedIssuer({
  dataDir = dataDirectory(),
  issuer = EMBEDDED_ISSUER,
  audience = API_AUDIENCE,
}: EmbeddedIssuerOptions = {}): Promise<EmbeddedIssuer> {
  const key = await loadOrCreateSigningKey(join(dataDir, 'issuer'), 'ES256');
  return {
    issuer,
    audience,
    jwks: { keys: [key.publicJwk] },
    async issueToken(request) {
      const role = roleOf(request);
      const policy = roles[role];
      return new SignJWT({
        client_id: request.client ?? policy.defaultClientId,
        roles: [role],
        scope: (request.scopes ?? policy.defaultScopes).join(' '),
        patient: request.patient,
        organization: request.organization,
        purpose_of_use: request.purpose ?? policy.defaultPurposeOfUse,
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(request.subject ?? ['demo', role, request.patient ?? request.organization].filter(Boolean).join('-'))
        .setIssuedAt()
        .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
        .sign(key.privateKey);
    },
  };
}

/** The request's role, once the request is one this issuer may grant. */
function roleOf({ role, patient, organization, purpose }: TokenRequest): RoleName {
  if (!isRoleName(role)) throw new Error(`Unknown role "${role}"; the roles are: ${roleNames.join(', ')}`);
  if (purpose && !Object.hasOwn(purposesOfUse, purpose)) {
    throw new Error(`Unknown purpose of use "${purpose}"; the purposes are: ${Object.keys(purposesOfUse).join(', ')}`);
  }
  const bindsTo = roles[role].bindsTo;
  if (bindsTo === 'patient' && !patient) throw new Error(`A ${role} token must be bound to a patient`);
  if (bindsTo === 'organization' && !organization) throw new Error(`A ${role} token must be bound to an organization`);
  return role;
}

/** Tokens for a service role, one per purpose of use, renewed well before they expire (they last an hour). */
export function serviceTokens(issuer: EmbeddedIssuer, role: RoleName): (purpose: PurposeOfUse) => Promise<string> {
  const tokens = new Map<PurposeOfUse, { token: string; renewAt: number }>();
  return async (purpose) => {
    const held = tokens.get(purpose);
    if (held && held.renewAt > Date.now()) return held.token;
    const token = await issuer.issueToken({ role, purpose, ttlSeconds: 3600 });
    tokens.set(purpose, { token, renewAt: Date.now() + 3_000_000 });
    return token;
  };
}
