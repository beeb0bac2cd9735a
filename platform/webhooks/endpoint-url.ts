import { badInput } from '../errors.ts';
import { hostOf, isLoopback, refusedHost, type TargetPolicy } from './target-policy.ts';

const MAX_LENGTH = 2_000;

/**
 * A webhook URL the policy accepts, normalized: https (http only to a loopback host, where the
 * policy allows loopback), no credentials, no fragment, and a host that is neither private nor
 * internal. Messages name the rule, never the URL.
 */
export function validEndpointUrl(raw: string, policy: TargetPolicy): string {
  const field = { field: 'input.url' };
  if (raw.length > MAX_LENGTH) throw badInput(`url must be at most ${MAX_LENGTH} characters`, field);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badInput('url must be an absolute URL', field);
  }
  const host = hostOf(url);
  const plainHttpAllowed = url.protocol === 'http:' && policy.loopbackAllowed && isLoopback(host);
  if (url.protocol !== 'https:' && !plainHttpAllowed) throw badInput('url must use https', field);
  if (url.username || url.password) throw badInput('url must not carry credentials', field);
  if (refusedHost(host, policy)) throw badInput('url must point at a public host, not a private, loopback or internal one', field);
  url.hash = '';
  return url.href;
}
