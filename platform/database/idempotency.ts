import { createHash } from 'node:crypto';
import type { Caller } from '../caller.ts';
import { conflict } from '../errors.ts';
import type { Queryable } from './database.ts';

/**
 * What a stored result is found by: the key as the caller wrote it, the caller (subject and client) and
 * the operation. Another caller's same key is another key, so a key never reveals what someone else made.
 */
export interface IdempotencyKey {
  key: string | null | undefined;
  caller: Caller | null;
  operation: string;
}

/**
 * Runs `create` once per idempotency key, inside the caller's transaction. A retry with the same
 * key and the same request gets the first result back; the same key with a different request is a
 * CONFLICT. Concurrent retries wait on the key's row lock, then read the committed result. Keep the
 * result small and JSON-safe (ids): the caller reloads the entity from it.
 */
export async function once<T>(tx: Queryable, { key, caller, operation }: IdempotencyKey, request: unknown, create: () => Promise<T>): Promise<T> {
  if (!key) return create();
  const identity = [key, caller?.subject ?? 'anonymous', caller?.clientId ?? '', operation];
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys (key, subject, client_id, operation, request_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key, subject, client_id, operation) DO NOTHING RETURNING key`,
    [...identity, requestHash],
  );
  if (claimed.length === 0) {
    const [first] = await tx.query<{ request_hash: string; result: T }>(
      'SELECT request_hash, result FROM idempotency_keys WHERE key = $1 AND subject = $2 AND client_id = $3 AND operation = $4',
      identity,
    );
    if (!first || first.request_hash !== requestHash) {
      throw conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different request');
    }
    return first.result;
  }
  const result = await create();
  await tx.query('UPDATE idempotency_keys SET result = $5 WHERE key = $1 AND subject = $2 AND client_id = $3 AND operation = $4', [
    ...identity,
    JSON.stringify(result),
  ]);
  return result;
}
