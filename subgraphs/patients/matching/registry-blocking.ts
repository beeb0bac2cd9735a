import { blockingKeys, keysOf } from './blocking.ts';
import type { MatchRecord } from './record.ts';

/**
 * Blocking for a whole registry (a million records and more): the pairs of records sharing a key,
 * like `candidatePairs`, without a map of every key's text (17 keys a record would be tens of
 * millions of strings). Each key is hashed to 32 bits and the (hash, record) entries sorted by
 * hash: a run of one hash is a block. Two different keys of one hash (a few in a million) only add
 * a pair to score, never lose one.
 */
export interface RegistryPairs {
  /** Pairs as `later * records + earlier` (record indexes, later > earlier), ascending: grouped by the later record. */
  codes: Float64Array;
  records: number;
  /** Blocks left out for being larger than the limit, as `candidatePairs` does. */
  skippedBlocks: number;
}

/** FNV-1a, 32 bits. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Sorts `order` (indexes into `hashes`) by hash: two stable passes of 16 bits. */
function sortByHash(hashes: Uint32Array, length: number): Uint32Array {
  let order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  let spare = new Uint32Array(length);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65_537);
    for (let i = 0; i < length; i++) counts[((hashes[order[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
    for (let i = 0; i < length; i++) spare[counts[(hashes[order[i]!]! >>> shift) & 0xffff]!++] = order[i]!;
    [order, spare] = [spare, order];
  }
  return order;
}

/** Each record's blocking keys, hashed: entry i is record `owners[i]`'s key of hash `hashes[i]`. */
export interface KeyHashes {
  hashes: Uint32Array;
  owners: Uint32Array;
}

/** The key hashes of records `from` (inclusive) to `to` (exclusive): a share of the work, for a worker thread. */
export function keyHashes(records: readonly MatchRecord[], from = 0, to = records.length): KeyHashes {
  let hashes = new Uint32Array(Math.max(16, (to - from) * 8));
  let owners = new Uint32Array(hashes.length);
  let entries = 0;
  for (let index = from; index < to; index++) {
    for (const key of keysOf(records[index]!, blockingKeys)) {
      if (entries === hashes.length) {
        hashes = grown(hashes);
        owners = grown(owners);
      }
      hashes[entries] = hash32(key);
      owners[entries++] = index;
    }
  }
  return { hashes: hashes.slice(0, entries), owners: owners.slice(0, entries) };
}

/**
 * Every distinct pair of records sharing a blocking key whose later record is at `from` or after
 * (a resumed run needs no pair it already scored), from the key hashes of `records` records in
 * registration (id) order, computed in shares (`keyHashes`, one per worker thread).
 */
export function pairsOfKeys(shares: readonly KeyHashes[], records: number, { from = 0, maxBlock = 1000 } = {}): RegistryPairs {
  const entries = shares.reduce((sum, share) => sum + share.hashes.length, 0);
  const hashes = new Uint32Array(entries);
  const owners = new Uint32Array(entries);
  let offset = 0;
  for (const share of shares) {
    hashes.set(share.hashes, offset);
    owners.set(share.owners, offset);
    offset += share.hashes.length;
  }
  const order = sortByHash(hashes, entries);
  const n = records;
  let codes = new Float64Array(Math.max(16, n * 4));
  let count = 0;
  let skippedBlocks = 0;
  for (let start = 0; start < entries; ) {
    const hash = hashes[order[start]!]!;
    let end = start + 1;
    while (end < entries && hashes[order[end]!] === hash) end++;
    if (end - start > maxBlock) skippedBlocks++;
    else {
      for (let i = start; i < end; i++) {
        const a = owners[order[i]!]!;
        for (let j = i + 1; j < end; j++) {
          const b = owners[order[j]!]!;
          if (a === b) continue;
          const later = a > b ? a : b;
          if (later < from) continue;
          if (count === codes.length) codes = grown(codes);
          codes[count++] = later * n + (a > b ? b : a);
        }
      }
    }
    start = end;
  }
  const sorted = codes.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  return { codes: sorted.slice(0, distinct), records: n, skippedBlocks };
}

function grown<T extends Uint32Array | Float64Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
