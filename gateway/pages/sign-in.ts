import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { ErrorCode, type InputReason } from '../../platform/errors.ts';
import { HttpRequestError, readBody } from '../../platform/http/graphql-handler.ts';
import { sendJson, type RouteHandler } from '../../platform/http/server.ts';
import { isRoleName, roleNames, roles } from '../../policies/roles.ts';
import type { EmbeddedIssuer } from '../authentication/embedded-issuer.ts';

export const SIGN_IN_PATH = '/pages/sign-in';
const TOKEN_SECONDS = 3600;
const BINDING = /^[A-Za-z0-9_-]{1,64}$/;

/** What the pages offer to sign in as: every role, and what it must be bound to. */
export const signInRoles = () => roleNames.map((name) => ({ name, bindsTo: roles[name].bindsTo ?? null }));

/**
 * Embedded mode only: a token from the embedded issuer for the role a person picks, so nobody copies
 * tokens by hand. It hands out any role, as `npm run token` does, so it answers only what a page of
 * this gateway asks: a JSON POST (a cross-site form cannot send one without a preflight, which gets
 * no CORS answer), from a same-origin page, to a host named by address or `localhost` (a site that
 * rebinds its own name to this machine is refused).
 */
export function signInRoute(issuer: EmbeddedIssuer): RouteHandler {
  return async (request, response) => {
    refuseForeignRequests(request);
    const body = parse(await readBody(request, 4096));
    const role = body.role;
    if (typeof role !== 'string' || !isRoleName(role)) throw refused('UNKNOWN_ROLE', `Pick one of the roles: ${roleNames.join(', ')}`);
    const bindsTo = roles[role].bindsTo;
    const binding = bindsTo && body[bindsTo];
    if (bindsTo && (typeof binding !== 'string' || !BINDING.test(binding))) throw refused('BINDING_REQUIRED', `This role needs the id of the ${bindsTo} it acts for`);
    const token = await issuer.issueToken({ role, ...(bindsTo && { [bindsTo]: binding }), ttlSeconds: TOKEN_SECONDS });
    response.setHeader('cache-control', 'no-store');
    sendJson(response, 200, { token, role, expiresAt: new Date(Date.now() + TOKEN_SECONDS * 1000).toISOString() });
  };
}

function refuseForeignRequests(request: IncomingMessage): void {
  if (request.method !== 'POST' || !request.headers['content-type']?.toLowerCase().startsWith('application/json')) {
    throw refused('JSON_POST_REQUIRED', 'Sign in with a JSON POST');
  }
  const host = request.headers.host ?? '';
  if (!namedByAddress(host)) throw new HttpRequestError(403, ErrorCode.FORBIDDEN, 'Sign in through an address or localhost');
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) throw new HttpRequestError(403, ErrorCode.FORBIDDEN, 'Sign in from a page of this gateway');
}

/** A host no site can rebind to this machine: `localhost` or an address. */
function namedByAddress(host: string): boolean {
  if (!URL.canParse(`http://${host}`)) return false;
  const hostname = new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
  return hostname === 'localhost' || isIP(hostname) !== 0;
}

function parse(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below, without the input
  }
  throw refused('INVALID_JSON', 'The request body is not a JSON object');
}

/** A refusal naming its reason, never the value sent (a patient id is patient data). */
const refused = (reason: InputReason, message: string) => new HttpRequestError(400, ErrorCode.BAD_USER_INPUT, message, reason);
