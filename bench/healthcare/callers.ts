import { decodeJwt } from 'jose';
import { callerFromClaims } from '../../gateway/authentication/caller-claims.ts';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { loadInternalSigningKey } from '../../gateway/authentication/internal-token.ts';
import type { Caller } from '../../platform/caller.ts';
import { signInternalToken } from '../../platform/internal-token.ts';

/** The demo data's patients are pat-0001 to pat-0300. */
export const patientId = (n: number) => `pat-${String((n % 300) + 1).padStart(4, '0')}`;

export type Persona = 'front_desk' | 'billing_specialist' | 'patient';
const personas: Persona[] = ['front_desk', 'billing_specialist', 'patient'];

export interface BenchCaller {
  n: number;
  persona: Persona;
  /** The patient a patient caller is bound to. */
  patient?: string;
  /** `Bearer <token>` from the embedded issuer: a distinct subject per caller. */
  authorization: string;
}

const TOKEN_TTL_SECONDS = 6 * 3600;

/** `count` distinct callers, the personas in turn; patient callers each bound to their own patient. */
export async function benchCallers(dataDir: string, count: number): Promise<BenchCaller[]> {
  const issuer = await openEmbeddedIssuer({ dataDir });
  return Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const persona = personas[n % personas.length]!;
      const patient = persona === 'patient' ? patientId(n) : undefined;
      const token = await issuer.issueToken({ role: persona, patient, subject: `bench-${persona}-${n}`, ttlSeconds: TOKEN_TTL_SECONDS });
      return { n, persona, patient, authorization: `Bearer ${token}` };
    }),
  );
}

/**
 * What a subgraph is called with for this caller: the internal token our gateway would sign
 * for it, for calls straight to a subgraph (the direct baseline).
 */
export async function internalAuthorizationOf(dataDir: string, caller: BenchCaller): Promise<string> {
  const key = await loadInternalSigningKey(dataDir);
  const claims = callerFromClaims(decodeJwt(caller.authorization.slice('Bearer '.length)));
  const { token } = await signInternalToken({ caller: claims }, key, TOKEN_TTL_SECONDS);
  return `Bearer ${token}`;
}

/**
 * The one identity bare Apollo Gateway and Hive Gateway put on every subgraph call of the
 * healthcare graph (they cannot sign per caller): an administrator with every user scope.
 */
export async function fixedSubgraphAuthorization(dataDir: string): Promise<string> {
  const key = await loadInternalSigningKey(dataDir);
  const caller: Caller = {
    subject: 'bench-fixed-identity',
    clientId: 'bench',
    roles: ['admin'],
    scopes: ['user/*.cruds'],
    purposeOfUse: 'HSYSADMIN',
    expiresAt: Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS,
  };
  const { token } = await signInternalToken({ caller }, key, TOKEN_TTL_SECONDS);
  return `Bearer ${token}`;
}
