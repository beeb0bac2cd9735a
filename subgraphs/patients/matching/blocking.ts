import { phonetic, type MatchRecord } from './record.ts';

/**
 * Blocking: records are compared only when they share a key. Several keys, each surviving a
 * different kind of error, so a duplicate is missed only when every key is broken at once:
 * - the identifier, and each of its one-digit deletions (survives a mistyped or transposed digit);
 * - the surname's sound and the birth year (survives a day/month swap, a typo in the given name);
 * - postcode and the given name's initial (survives a new surname, a wrong date);
 * - birth date and the given name's initial (survives a new surname and a new address);
 * - birth date and postcode (survives both names changed);
 * - both names' sounds in either order (survives a wrong date, swapped given and family names);
 * - the phone and the given name's initial;
 * - the phone and the birth year (survives a new name and a mistyped given name: a household's
 *   phone with its birth year is one person, or twins and some spouses).
 */
export type BlockingKey = (record: MatchRecord) => string[];

const sound = (word: string | null) => (word ? phonetic(word)[0] || word : null);
const initial = (word: string | null) => word?.[0] ?? null;
const all = (...parts: Array<string | null | undefined>) => (parts.every(Boolean) ? parts.join('|') : null);

export const blockingKeys: Readonly<Record<string, BlockingKey>> = {
  identifier: (r) => (r.identifier ? [r.identifier] : []),
  identifierNear: (r) => (r.identifier && r.identifier.length >= 5 ? [...r.identifier].map((_, at) => r.identifier!.slice(0, at) + r.identifier!.slice(at + 1)) : []),
  surnameYear: (r) => [all(sound(r.family), r.birthDate?.slice(0, 4))].filter((key): key is string => key !== null),
  postcodeInitial: (r) => [all(r.postcode, initial(r.given))].filter((key): key is string => key !== null),
  birthDateInitial: (r) => [all(r.birthDate, initial(r.given)), all(r.birthDate, initial(r.family))].filter((key): key is string => key !== null),
  birthDatePostcode: (r) => [all(r.birthDate, r.postcode)].filter((key): key is string => key !== null),
  names: (r) => {
    const sounds = [sound(r.given), sound(r.family)];
    return sounds.every(Boolean) ? [sounds.sort().join('|')] : [];
  },
  phoneInitial: (r) => [all(r.phone, initial(r.given))].filter((key): key is string => key !== null),
  phoneYear: (r) => [all(r.phone, r.birthDate?.slice(0, 4))].filter((key): key is string => key !== null),
};

/** Every key of a record, each prefixed with its kind: what the candidate index stores per patient. */
export function keysOf(record: MatchRecord, keys: Readonly<Record<string, BlockingKey>> = blockingKeys): string[] {
  // Loops rather than entries/flatMap/Set: a million records' batch deduplication calls this for each.
  const found: string[] = [];
  for (const kind in keys) {
    for (const value of keys[kind]!(record)) {
      const key = `${kind}:${value}`;
      if (!found.includes(key)) found.push(key);
    }
  }
  return found;
}

export interface CandidatePairs {
  /** Index pairs, the smaller first. */
  pairs: Array<[number, number]>;
  /** Blocks left out for being larger than the limit: their keys say nothing. */
  skippedBlocks: number;
}

/**
 * The distinct pairs of records sharing at least one key. A block larger than `maxBlock` (a
 * placeholder value typed into thousands of records) is left out: it would cost more pairs than
 * it finds.
 */
export function candidatePairs(records: readonly MatchRecord[], { maxBlock = 1000, keys = blockingKeys } = {}): CandidatePairs {
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    for (const key of keysOf(record, keys)) {
      const block = blocks.get(key);
      if (block) block.push(index);
      else blocks.set(key, [index]);
    }
  });
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  let skippedBlocks = 0;
  const n = records.length;
  for (const block of blocks.values()) {
    if (block.length < 2) continue;
    if (block.length > maxBlock) {
      skippedBlocks++;
      continue;
    }
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const a = block[i]!;
        const b = block[j]!;
        const code = a < b ? a * n + b : b * n + a;
        if (seen.has(code)) continue;
        seen.add(code);
        pairs.push(a < b ? [a, b] : [b, a]);
      }
    }
  }
  return { pairs, skippedBlocks };
}
