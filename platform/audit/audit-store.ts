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

/** Appends to the hash-chained audit trail. There is no update or delete: the table refuses them. */
export class AuditStore {
  /** The tail as this store last saw it: its next append hashes from here, and is told when another writer moved it. */
  private tail: ChainTail | undefined;

  constructor(private readonly db: Database) {}

  /**
   * Appends the records in order, in a transaction of one statement (`audit_append`), and answers
   * the new tail. The function locks the chain head, so concurrent appenders (other writers, other
   * gateway replicas) wait their turn; one that finds the head moved is answered the head without
   * taking its lock, and rehashes its rows after it. `prepared` is told the tail just before the commit, so
   * that a writer whose commit's answer is lost can ask `holds` whether it landed, and so that it
   * can still take the rows back by throwing.
   */
  async append(records: readonly AccessRecord[], prepared?: (tail: ChainTail) => void): Promise<ChainTail> {
    // Forgotten until the commit is answered: a rollback or a lost answer leaves the head unknown.
    let after = this.tail ?? UNKNOWN_TAIL;
    this.tail = undefined;
    this.tail = await this.db.transaction(async (tx) => {
      for (;;) {
        const { tail, rows } = chained(records, after);
        const [head] = await tx.query<{ last_seq: string | number; last_hash: string }>('SELECT last_seq, last_hash FROM audit_append($1, $2, $3)', [
          after.seq,
          after.hash,
          JSON.stringify(rows),
        ]);
        if (!head) throw new Error('audit_chain_head has no row: the audit migrations did not run');
        if (Number(head.last_seq) === tail.seq && head.last_hash === tail.hash) {
          prepared?.(tail);
          return tail;
        }
        after = { seq: Number(head.last_seq), hash: head.last_hash };
      }
    });
    return this.tail;
  }

  /** Whether the trail holds this tail's row: a commit whose answer was lost either landed whole or not at all. */
  async holds(tail: ChainTail): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM audit_event WHERE seq = $1 AND hash = $2', [tail.seq, tail.hash])).length > 0;
  }
}
