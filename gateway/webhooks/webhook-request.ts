import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AttemptErrorKind, AttemptResult } from '../../platform/webhooks/model.ts';
import { hostOf, refusedHost, type TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { guardedLookup, TARGET_REFUSED } from './guarded-lookup.ts';

function errorKindOf(error: { name?: string; code?: unknown }): AttemptErrorKind {
  if (error.code === TARGET_REFUSED) return 'target_refused';
  return error.name === 'AbortError' ? 'timeout' : 'connection_failed';
}

/**
 * POSTs the body once and tells what came back. Redirects are not followed (a 3xx is a failure:
 * the partner updates its URL), and only the status is read. `timeoutMs` bounds the whole attempt,
 * connecting included. Never rejects.
 */
export function postWebhook(target: string, headers: Record<string, string>, body: string, timeoutMs: number, targets: TargetPolicy): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(target);
  // An address in the URL is connected to without a lookup, so the lookup's check never sees it.
  if (refusedHost(hostOf(url), targets)) return Promise.resolve({ errorKind: 'target_refused', durationMs: 0 });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'healthcare-graph-webhooks/1' },
        lookup: guardedLookup(targets),
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
      },
      (response) => {
        // The answer's body is drained and dropped; the timeout still ends one that never finishes.
        response.resume();
        response.on('error', () => undefined);
        resolve({ statusCode: response.statusCode, durationMs: elapsed() });
      },
    );
    request.on('error', (error) => resolve({ errorKind: errorKindOf(error), durationMs: elapsed() }));
    request.end(body);
  });
}
