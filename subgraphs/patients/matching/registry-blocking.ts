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
  /** Pairs as `later * records + earlier` (record indexes, later > earlier), grouped by the later record, in its order. */
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

/**
 * The indexes of `hashes` in the order of their hash, stable, and the hashes in that order: three passes of 11 bits, each
 * carrying the hashes along so that it reads them in sequence (tens of millions of entries; looking
 * each up through the order would read memory at random).
 */
function sortByHash(hashes: Uint32Array, length: number): { order: Uint32Array; sorted: Uint32Array } {
  let order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  let keys = hashes.slice(0, length);
  let spareOrder = new Uint32Array(length);
  let spareKeys = new Uint32Array(length);
  for (const shift of [0, 11, 22]) {
    const counts = new Uint32Array(2049);
    for (let i = 0; i < length; i++) counts[((keys[i]! >>> shift) & 0x7ff) + 1]!++;
    for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
    for (let i = 0; i < length; i++) {
      const to = counts[(keys[i]! >>> shift) & 0x7ff]!++;
      spareOrder[to] = order[i]!;
      spareKeys[to] = keys[i]!;
    }
    [order, spareOrder] = [spareOrder, order];
    [keys, spareKeys] = [spareKeys, keys];
  }
  return { order, sorted: keys };
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
 * registration (id) order, computed in shares (`keyHashes`, one per worker thread, in order).
 * Record by record, each of its keys' blocks gives the records before it there (a block keeps
 * the records in order: the sort by hash is stable); a record met under an earlier key is marked
 * and skipped, so the pairs come out distinct and grouped by the later record without sorting
 * them (tens of millions at a million records).
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
  const { order, sorted } = sortByHash(hashes, entries);
  // Per entry: where its block starts in `order`, and its own place there; per place, its record.
  const blockStart = new Uint32Array(entries);
  const place = new Uint32Array(entries);
  const placed = new Uint32Array(entries);
  let skippedBlocks = 0;
  for (let start = 0; start < entries; ) {
    const hash = sorted[start]!;
    let end = start + 1;
    while (end < entries && sorted[end] === hash) end++;
    const skipped = end - start > maxBlock;
    if (skipped) skippedBlocks++;
    for (let i = start; i < end; i++) {
      // Each entry of a block too large to pair starts at itself: no record before it there.
      blockStart[order[i]!] = skipped ? i : start;
      place[order[i]!] = i;
      placed[i] = owners[order[i]!]!;
    }
    start = end;
  }
  const n = records;
  const metBy = new Int32Array(n).fill(-1);
  let codes = new Float64Array(Math.max(16, n * 4));
  let count = 0;
  let entry = 0;
  while (entry < entries && owners[entry]! < from) entry++;
  while (entry < entries) {
    const later = owners[entry]!;
    for (; entry < entries && owners[entry] === later; entry++) {
      for (let i = blockStart[entry]!, own = place[entry]!; i < own; i++) {
        const earlier = placed[i]!;
        if (earlier === later || metBy[earlier] === later) continue;
        metBy[earlier] = later;
        if (count === codes.length) codes = grown(codes);
        codes[count++] = later * n + earlier;
      }
    }
  }
  return { codes: codes.slice(0, count), records: n, skippedBlocks };
}

function grown<T extends Uint32Array | Float64Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
