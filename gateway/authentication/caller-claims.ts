import type { JWTPayload } from 'jose';
import type { Caller } from '../../platform/caller.ts';
import { unauthenticated } from './unauthenticated.ts';

/**
 * The caller a verified token speaks for. Identity providers spell the same thing differently
 * (Keycloak `realm_access.roles` and `azp`, Azure `scp`, SMART `patient` and `fhirUser`), so
 * each field is read from whichever claim is present, and a claim of the wrong shape is refused
 * rather than guessed at.
 */
export function callerFromClaims(claims: JWTPayload): Caller {
  const subject = text(claims, 'sub');
  const clientId = text(claims, 'client_id') ?? text(claims, 'azp');
  if (!subject) throw malformed('sub');
  if (!clientId) throw malformed('client_id');
  return {
    subject,
    clientId,
    roles: list(claims, 'roles') ?? list(objectClaim(claims, 'realm_access'), 'roles') ?? [],
    scopes: spaceSeparated(claims, 'scope') ?? list(claims, 'scp') ?? [],
    patientId: text(claims, 'patient') ?? patientOfFhirUser(text(claims, 'fhirUser')),
    organizationId: text(claims, 'organization') ?? text(claims, 'org_id'),
    purposeOfUse: text(claims, 'purpose_of_use'),
    expiresAt: claims.exp as number,
  };
}

type Claims = Record<string, unknown>;

const malformed = (claim: string) => unauthenticated('MALFORMED_CLAIMS', { claim });

function text(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformed(name);
  return value;
}

/** An array of strings, or one space-separated string (as Azure sends `scp`). */
function list(claims: Claims, name: string): string[] | undefined {
  const value = claims[name];
  if (typeof value === 'string') return spaceSeparated(claims, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw malformed(name);
  return value;
}

function spaceSeparated(claims: Claims, name: string): string[] | undefined {
  return text(claims, name)?.split(' ').filter(Boolean);
}

function objectClaim(claims: Claims, name: string): Claims {
  const value = claims[name];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(name);
  return value as Claims;
}

/** `fhirUser` is a FHIR reference, relative or absolute: only a Patient binds the caller to one. */
function patientOfFhirUser(fhirUser: string | undefined): string | undefined {
  return fhirUser?.match(/(?:^|\/)Patient\/([^/]+)$/)?.[1];
}
