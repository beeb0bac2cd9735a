import { createHash } from 'node:crypto';
import { hashedValues, type AccessRecord } from './access-record.ts';

/** The previous hash of the first row; the migration seeds the chain head with the same value. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * sha256 over a canonical serialization: a JSON array of the row's seq, the record's values in
 * their fixed order (the instant as ISO 8601) and the previous row's hash. The seq makes a row
 * moved to another place fail; the previous hash makes a deleted or inserted row fail.
 */
export function chainHash(seq: number, record: AccessRecord, previousHash: string): string {
  return createHash('sha256')
    .update(JSON.stringify([seq, ...hashedValues(record), previousHash]))
    .digest('hex');
}
