import { createHmac } from 'node:crypto';
import { signingKey } from '../../platform/webhooks/signing-secret.ts';

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the same on every attempt, the
 * receiver's idempotency key), `webhook-timestamp` (this attempt, Unix seconds) and
 * `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`.
 */
export function signedHeaders(secret: string, id: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
