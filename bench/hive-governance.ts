import { createInlineSigningKeyProvider, extractFromHeader, useJWT, type GatewayConfigBase, type GatewayPlugin, type JWTAuthContextExtension } from '@graphql-hive/gateway';
import type { JWTPayload } from 'jose';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { API_AUDIENCE, EMBEDDED_ISSUER } from '../gateway/authentication/embedded-issuer.ts';
import { callerFromClaims } from '../gateway/authentication/caller-claims.ts';
import { accessPolicies } from '../policies/access-policies.ts';
import { clientTiers } from '../policies/client-tiers.ts';

type HiveGovernance = Pick<GatewayConfigBase<JWTAuthContextExtension>, 'plugins' | 'genericAuth' | 'demandControl'>;

const SMART_SCOPE = /^(patient|user|system)\/(\w+)\.([cruds]+)$/;
const expanded = new WeakMap<object, string[]>();

/**
 * Hive matches @requiresScopes literally; a SMART scope `user/Patient.rs` grants `user/Patient.r`
 * and `user/Patient.s`, so each one is spelled out (once per token: Hive asks per field).
 */
function smartScopes(payload: JWTPayload | undefined): string[] {
  if (!payload) return [];
  let scopes = expanded.get(payload);
  if (!scopes) {
    const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    scopes = granted.flatMap((scope) => {
      const [, context, resource, permissions] = SMART_SCOPE.exec(scope) ?? [];
      return permissions ? [scope, ...[...permissions].map((letter) => `${context}/${resource}.${letter}`)] : [scope];
    });
    expanded.set(payload, scopes);
  }
  return scopes;
}

/** The @policy names the caller satisfies, decided by our own policies (Hive leaves their meaning to the host). */
function policiesOf(payload: JWTPayload | undefined): string[] {
  if (!payload) return [];
  const caller = callerFromClaims(payload);
  return Object.entries(accessPolicies).flatMap(([name, policy]) => (policy.allows(caller) ? [name] : []));
}

/**
 * Hive Gateway's counterparts of our pipeline, for the healthcare workloads: JWT verification
 * against the embedded issuer's key, the @authenticated/@requiresScopes/@policy directives
 * (generic auth, denied fields answered with errors as our 'filter' mode), and demand control
 * with the portal clients' per-operation maximum. It has no per-client cost budget, no
 * minimization and no audit trail, so those have no counterpart here.
 */
export function hiveGovernance(issuerJwksFile: string): HiveGovernance {
  const { keys } = JSON.parse(readFileSync(issuerJwksFile, 'utf8')) as { keys: JsonWebKey[] };
  const publicKeyPem = createPublicKey({ key: keys[0]!, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  return {
    plugins: () => [
      useJWT({
        signingKeyProviders: [createInlineSigningKeyProvider(publicKeyPem)],
        tokenLookupLocations: [extractFromHeader({ name: 'authorization', prefix: 'Bearer' })],
        tokenVerification: { algorithms: ['ES256'], issuer: EMBEDDED_ISSUER, audience: API_AUDIENCE },
        reject: { missingToken: false, invalidToken: true },
        // Its own context extension trips the variance of Hive's plugin types; the runtime is the same.
      }) as GatewayPlugin,
    ],
    genericAuth: {
      mode: 'protect-granular',
      resolveUserFn: (context) => context.jwt?.payload,
      extractScopes: smartScopes,
      extractPolicies: policiesOf,
      rejectUnauthenticated: false,
    },
    // Our cost plugin's defaults: 10 items for a list without @listSize, the portal tier's maximum.
    demandControl: { maxCost: clientTiers.portal.maxCostPerOperation, listSize: 10 },
  };
}
