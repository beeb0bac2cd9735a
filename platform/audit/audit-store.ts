import { insertRows } from '../database/bulk-insert.ts';
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

/** Appends to the hash-chained audit trail. There is no update or delete: the table refuses them. */
export class AuditStore {
  constructor(private readonly db: Database) {}

  /**
   * Appends the records in order, in one transaction of three statements, and answers the new
   * tail. Locking the chain head makes concurrent appenders (other writers, other gateway
   * replicas) wait their turn. `prepared` is told the tail just before the commit, so that a
   * writer whose commit's answer is lost can ask `holds` whether it landed.
   */
  async append(records: readonly AccessRecord[], prepared?: (tail: ChainTail) => void): Promise<ChainTail> {
    return this.db.transaction(async (tx) => {
      const [head] = await tx.query<{ last_seq: string | number; last_hash: string }>(
        'SELECT last_seq, last_hash FROM audit_chain_head FOR UPDATE',
      );
      if (!head) throw new Error('audit_chain_head has no row: the audit migrations did not run');
      let seq = Number(head.last_seq);
      let previousHash = head.last_hash;
      const rows = records.map((record) => {
        seq += 1;
        const hash = chainHash(seq, record, previousHash);
        const row = [seq, ...recordValues(record), previousHash, hash];
        previousHash = hash;
        return row;
      });
      if (rows.length > 0) {
        await insertRows(tx, 'audit_event', COLUMNS, rows);
        await tx.query('UPDATE audit_chain_head SET last_seq = $1, last_hash = $2', [seq, previousHash]);
      }
      const tail = { seq, hash: previousHash };
      prepared?.(tail);
      return tail;
    });
  }

  /** Whether the trail holds this tail's row: a commit whose answer was lost either landed whole or not at all. */
  async holds(tail: ChainTail): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM audit_event WHERE seq = $1 AND hash = $2', [tail.seq, tail.hash])).length > 0;
  }
}
