import type { Database } from '../database/database.ts';
import { recordColumns, recordValues, type AccessRecord } from './access-record.ts';
import { chainHash } from './chain-hash.ts';

/** The audit tables; both the gateway (writing) and the audit subgraph (reading) migrate with them. */
export const auditMigrations = new URL('./migrations/', import.meta.url);

const COLUMNS = ['seq', ...recordColumns, 'previous_hash', 'hash'];

/** The end of the chain: its last row's seq and hash. */
export interface ChainTail {
  seq: number;
  hash: string;
}

/** Before the store has seen the head: the first append asks for it (the function answers the head, writing nothing). */
const UNKNOWN_TAIL: ChainTail = { seq: -1, hash: '' };

/** The records as rows of the chain after `after`: each row's hash covers the one before. */
function chained(records: readonly AccessRecord[], after: ChainTail): { tail: ChainTail; rows: Record<string, unknown>[] } {
  let seq = after.seq;
  let previousHash = after.hash;
  const rows = records.map((record) => {
    seq += 1;
    const hash = chainHash(seq, record, previousHash);
    const values = [seq, ...recordValues(record), previousHash, hash];
    previousHash = hash;
    return Object.fromEntries(COLUMNS.map((column, i) => [column, values[i]]));
  });
  return { tail: { seq, hash: previousHash }, rows };
}

export interface AppendOptions {
  /** Told the tail an attempt will commit, just before it is sent. */
  prepared?: (tail: ChainTail) => void;
  /** How long the statement may wait for the trail's locks; beyond it, an AppendRefused. */
  lockWaitMs?: number;
}

/**
 * The database answered the append with an error: the statement's own transaction rolled back and
 * nothing of it is in the trail (unlike a lost connection, after which only the trail can tell).
 */
export class AppendRefused extends Error {
  readonly code: string;
  constructor(cause: { code: string; message: string }) {
    super(`audit_append was refused (${cause.code}): ${cause.message}`, { cause });
    this.name = 'AppendRefused';
    this.code = cause.code;
  }
}

/** An ERROR (not FATAL: a connection ended after a commit) with a SQLSTATE is the database's answer to the statement. */
function answeredByDatabase(error: unknown): error is { code: string; message: string } {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && severity === 'ERROR';
}

/** Appends to the hash-chained audit trail. There is no update or delete: the table refuses them. */
export class AuditStore {
  /** The tail as this store last saw it: its next append hashes from here, and is told when another writer moved it. */
  private tail: ChainTail | undefined;

  constructor(private readonly db: Database) {}

  /**
   * Appends the records in order, each attempt one statement (`audit_append`) in a transaction of
   * its own: one round trip, where BEGIN, the call and COMMIT would be three on a request's path.
   * The function locks the chain head, so concurrent appenders (other writers, other gateway
   * replicas) wait their turn, at most `lockWaitMs`; one that finds the head moved is answered the
   * head without taking its lock, writes nothing, and rehashes its rows after it. `prepared` is told
   * the tail just before the statement that may commit it is sent, so that a writer whose answer is
   * lost can ask `holds` whether it landed, and so that it can still take the rows back by throwing.
   * An error the database answered (AppendRefused) means that statement wrote nothing.
   */
  async append(records: readonly AccessRecord[], { prepared, lockWaitMs }: AppendOptions = {}): Promise<ChainTail> {
    // Forgotten until the commit is answered: a failed statement or a lost answer leaves the head unknown.
    let after = this.tail ?? UNKNOWN_TAIL;
    this.tail = undefined;
    for (;;) {
      const { tail, rows } = chained(records, after);
      // Only an attempt that can write is about to commit; asking for the head (after UNKNOWN_TAIL) writes nothing.
      if (after !== UNKNOWN_TAIL) prepared?.(tail);
      const [head] = await this.db
        .query<{ last_seq: string | number; last_hash: string }>('SELECT last_seq, last_hash FROM audit_append($1, $2, $3, $4)', [
          after.seq,
          after.hash,
          JSON.stringify(rows),
          lockWaitMs === undefined ? null : Math.ceil(lockWaitMs),
        ])
        .catch((error: unknown) => {
          throw answeredByDatabase(error) ? new AppendRefused(error) : error;
        });
      if (!head) throw new Error('audit_chain_head has no row: the audit migrations did not run');
      if (Number(head.last_seq) === tail.seq && head.last_hash === tail.hash) {
        this.tail = tail;
        return tail;
      }
      after = { seq: Number(head.last_seq), hash: head.last_hash };
    }
  }

  /** Whether the trail holds this tail's row: a commit whose answer was lost either landed whole or not at all. */
  async holds(tail: ChainTail): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM audit_event WHERE seq = $1 AND hash = $2', [tail.seq, tail.hash])).length > 0;
  }
}
