import { createHash } from 'node:crypto';
import { conflict } from '../errors.ts';
import type { Queryable } from './database.ts';

/**
 * Runs `create` once per idempotency key, inside the caller's transaction. A retry with the same
 * key and the same request gets the first result back; the same key with a different request is a
 * CONFLICT. Concurrent retries wait on the key's row lock, then read the committed result. Keep the
 * result small and JSON-safe (ids): the caller reloads the entity from it.
 */
export async function once<T>(
  tx: Queryable,
  idempotencyKey: string | null | undefined,
  operation: string,
  request: unknown,
  create: () => Promise<T>,
): Promise<T> {
  if (!idempotencyKey) return create();
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys (key, operation, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [idempotencyKey, operation, requestHash],
  );
  if (claimed.length === 0) {
    const [first] = await tx.query<{ operation: string; request_hash: string; result: T }>(
      'SELECT operation, request_hash, result FROM idempotency_keys WHERE key = $1',
      [idempotencyKey],
    );
    if (!first || first.operation !== operation || first.request_hash !== requestHash) {
      throw conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different request');
    }
    return first.result;
  }
  const result = await create();
  await tx.query('UPDATE idempotency_keys SET result = $2 WHERE key = $1', [idempotencyKey, JSON.stringify(result)]);
  return result;
}
