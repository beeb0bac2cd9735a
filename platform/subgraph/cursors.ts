import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Queryable } from '../database/database.ts';
import { badInput } from '../errors.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Pagination cursors that are opaque and sealed (AES-256-GCM): a caller can neither read the
 * position inside (a family name, say, that minimization shows it only as an initial) nor make
 * one up. Each is bound to what it was issued for (the caller and the query, as `boundTo`), so a
 * cursor carried to another query or another caller, or altered by one character, is refused
 * BAD_USER_INPUT like any cursor this query never returned.
 */
export class CursorSeal {
  constructor(private readonly key: Buffer) {}

  seal(position: unknown, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(boundTo));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  open<T>(cursor: string, boundTo: string, isValid: (value: unknown) => value is T, field = 'after'): T {
    try {
      const bytes = Buffer.from(cursor, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const opened: unknown = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8'));
      if (isValid(opened)) return opened;
    } catch {
      // a cursor altered, foreign or not a cursor at all: the same answer as one well formed but never issued
    }
    throw badInput(`${field} is not a cursor this query returned`, { field });
  }
}

const seals = new WeakMap<Queryable, Promise<CursorSeal>>();

/**
 * The subgraph's cursor key, kept in its own database (table `cursor_key`, from its migrations) and
 * made on first use: every replica of the subgraph seals and opens with the same key.
 */
export function cursorSealOf(db: Queryable): Promise<CursorSeal> {
  let seal = seals.get(db);
  if (!seal) {
    seal = (async () => {
      await db.query('INSERT INTO cursor_key (key) VALUES ($1) ON CONFLICT DO NOTHING', [randomBytes(32)]);
      const [row] = await db.query<{ key: Uint8Array }>('SELECT key FROM cursor_key');
      return new CursorSeal(Buffer.from(row!.key));
    })();
    seal.catch(() => seals.delete(db));
    seals.set(db, seal);
  }
  return seal;
}
