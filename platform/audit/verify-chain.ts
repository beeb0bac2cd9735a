import type { Queryable } from '../database/database.ts';
import { toAuditEvent } from './access-record.ts';
import type { Checkpoint } from './anchor.ts';
import { chainHash, GENESIS_HASH } from './chain-hash.ts';

export type ChainVerification =
  | { ok: true; rows: number; anchoredSeq?: number }
  | { ok: false; firstBadSeq: number; reason: 'hash mismatch' | 'broken link' | 'gap in sequence' | 'rows beyond the head' | 'tail cut' | 'differs from the anchor' };

const PAGE_SIZE = 1_000;

/**
 * Recomputes every hash in seq order, a page at a time. The chain head is read first and only rows
 * up to it are checked, so appends running meanwhile neither disturb nor lengthen the check.
 * Detects edited rows (hash mismatch), rows deleted or moved (gap in sequence, broken link), a
 * head moved back over rows that are still there (rows beyond the head) and, against the signed
 * `anchor` kept outside the table, rows cut from the tail together with the head (tail cut), and
 * a tail rewritten past the anchored row (differs from the anchor).
 */
export async function verifyAuditChain(db: Queryable, anchor?: Checkpoint): Promise<ChainVerification> {
  const [head] = await db.query<{ last_seq: string | number; last_hash: string }>('SELECT last_seq, last_hash FROM audit_chain_head');
  if (!head) throw new Error('audit_chain_head has no row: not an audit trail');
  const lastSeq = Number(head.last_seq);
  // Appends running meanwhile add rows beyond the head only inside their transaction, never visibly before it moves.
  if (anchor && anchor.seq > lastSeq) return { ok: false, firstBadSeq: lastSeq + 1, reason: 'tail cut' };
  const [beyond] = await db.query<{ seq: string | number }>('SELECT min(seq) AS seq FROM audit_event WHERE seq > $1', [lastSeq]);
  if (beyond?.seq !== null && beyond?.seq !== undefined) return { ok: false, firstBadSeq: Number(beyond.seq), reason: 'rows beyond the head' };
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  while (expectedSeq <= lastSeq) {
    const rows = await db.query('SELECT * FROM audit_event WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3', [
      expectedSeq,
      lastSeq,
      PAGE_SIZE,
    ]);
    if (rows.length === 0) break;
    for (const event of rows.map(toAuditEvent)) {
      if (event.seq !== expectedSeq) return { ok: false, firstBadSeq: expectedSeq, reason: 'gap in sequence' };
      if (event.previousHash !== previousHash) return { ok: false, firstBadSeq: event.seq, reason: 'broken link' };
      if (chainHash(event.seq, event, event.previousHash) !== event.hash) return { ok: false, firstBadSeq: event.seq, reason: 'hash mismatch' };
      if (anchor && event.seq === anchor.seq && event.hash !== anchor.hash) return { ok: false, firstBadSeq: event.seq, reason: 'differs from the anchor' };
      previousHash = event.hash;
      expectedSeq += 1;
    }
  }
  if (expectedSeq <= lastSeq) return { ok: false, firstBadSeq: expectedSeq, reason: 'gap in sequence' };
  // A last row rewritten with a recomputed hash is consistent with itself, not with the head.
  if (previousHash !== head.last_hash) return { ok: false, firstBadSeq: lastSeq, reason: 'hash mismatch' };
  return { ok: true, rows: lastSeq, anchoredSeq: anchor?.seq };
}
