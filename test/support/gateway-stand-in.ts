import { generateKeyPair, exportJWK, type JWK } from 'jose';
import { signInternalToken } from '../../platform/internal-token.ts';
import type { Caller } from '../../platform/caller.ts';

/**
 * Stands in for the gateway when a test calls a subgraph directly: a key pair of its own, whose
 * public half the subgraph is started with, and the internal token a gateway would send.
 */
export interface GatewayStandIn {
  publicKey: JWK;
  /** Headers of a call made through the gateway on behalf of `caller` (anonymous by default). */
  headersFor(caller?: Caller | null): Promise<Record<string, string>>;
}

export async function gatewayStandIn(): Promise<GatewayStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const kid = 'test-gateway';
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' };
  return {
    publicKey: publicJwk,
    async headersFor(caller = null) {
      const { token } = await signInternalToken({ caller }, { kid, privateKey }, 60);
      return { authorization: `Bearer ${token}` };
    },
  };
}

/** A caller with every right (an admin acting for treatment), for tests about a subgraph's own behaviour rather than its access rules. */
export const adminCaller: Caller = {
  subject: 'test-admin',
  clientId: 'portal-staff',
  roles: ['admin'],
  scopes: ['user/*.cruds'],
  purposeOfUse: 'TREAT',
  expiresAt: Math.floor(Date.now() / 1000) + 24 * 3600,
};
