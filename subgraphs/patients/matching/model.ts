import type { FieldComparator, Level } from './comparators.ts';
import type { MatchRecord } from './record.ts';

/**
 * The Fellegi–Sunter model, with the non-matches split in two: candidate pairs are one person
 * (match), two people of one household (same surname, address, phone: spouses, siblings, twins,
 * parents and children), or two unrelated people. The textbook model has only match and
 * non-match; with households in the data its EM settles on "same household" as the match class,
 * so related people get a class of their own and EM still needs no labels. Per class, field and
 * level, the chance of that agreement; within a class fields are independent.
 */
export type ClassName = 'match' | 'household' | 'unrelated';

export interface LatentClass {
  name: ClassName;
  /** Share of candidate pairs in this class. */
  share: number;
  /** Per field, per level. */
  probabilities: number[][];
}

/** Per field: m, and u as the non-match classes together, for explaining a score field by field. */
export interface FieldParameters {
  field: string;
  levels: readonly string[];
  m: number[];
  u: number[];
}

export interface ModelParameters {
  classes: LatentClass[];
  fields: FieldParameters[];
  iterations: number;
}

/** Comparison vectors of pairs, one level per field, -1 where missing; into `vector` when given (one reused for millions of pairs). */
export function comparisonVector(comparators: readonly FieldComparator[], a: MatchRecord, b: MatchRecord, vector: Int8Array = new Int8Array(comparators.length)): Int8Array {
  for (let index = 0; index < comparators.length; index++) {
    const level: Level = comparators[index]!.compare(a, b);
    vector[index] = level ?? -1;
  }
  return vector;
}

const SMOOTHING = 1e-6;

function normalised(counts: number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => (count + SMOOTHING) / (total + SMOOTHING * counts.length));
}

/**
 * u per field and level, over all pairs of records: exact agreement from the value frequencies
 * (how often two records share a value), the other levels from pairs drawn at random, nearly all
 * of which are non-matches.
 */
export function estimateU(comparators: readonly FieldComparator[], records: readonly MatchRecord[], randomVectors: readonly Int8Array[]): number[][] {
  const sampled = comparators.map((comparator, f) => {
    const counts = new Array<number>(comparator.levels.length).fill(0.5);
    for (const vector of randomVectors) if (vector[f]! >= 0) counts[vector[f]!]!++;
    return normalised(counts);
  });
  return withExactAgreement(
    sampled,
    comparators.map((comparator) => frequenciesOf(records.map((record) => comparator.value(record)))?.agreement),
  );
}

/** u with each field's exact agreement replaced by `exact` (where known), the lower levels sharing the rest in the proportions they had. */
export function withExactAgreement(u: readonly number[][], exact: ReadonlyArray<number | undefined>): number[][] {
  return u.map((levels, f) => {
    const agreement = exact[f];
    if (agreement === undefined) return [...levels];
    const rest = 1 - levels.at(-1)!;
    return levels.map((chance, level) => (level === levels.length - 1 ? agreement : (chance / rest) * (1 - agreement)));
  });
}

/** At most this share of a population's pairs is one person or one household, however few its records. */
const MAX_RELATED_SHARE = 0.5;

/**
 * The classes pairs of a whole population of `records` records (a registry, a set to deduplicate)
 * are scored with, from classes EM learnt on candidate pairs (`candidatesPerRecord` a record). EM's
 * unrelated class is the strangers blocking put together: they share a surname's sound and a birth
 * year, or a birth date and an initial, so to it a different surname is a sign of one person, and
 * agreeing on names and birth date weak evidence, outweighed by a move. Here a pair is weighed
 * against two records drawn at random from the population (`u`: its own value frequencies), and
 * each class has its share of all pairs: one person and one household keep EM's pairs per record,
 * so their share falls as the population grows. The household class keeps what EM learnt.
 *
 * Value frequencies count every pair sharing a value, duplicates and households included: an
 * identifier only one person's records share is agreement between duplicates, not chance. So the
 * unrelated class's exact agreement is what is left once the related classes' own is taken out
 * (at least one pair's worth).
 */
export function populationClasses(classes: readonly LatentClass[], candidatesPerRecord: number, records: number, u: readonly number[][]): LatentClass[] {
  const pairs = (Math.max(records, 2) * (Math.max(records, 2) - 1)) / 2;
  const related = classes.filter((latent) => latent.name !== 'unrelated');
  const wanted = related.map((latent) => (latent.share * candidatesPerRecord * records) / pairs);
  const total = wanted.reduce((sum, share) => sum + share, 0);
  const scale = total > MAX_RELATED_SHARE ? MAX_RELATED_SHARE / total : 1;
  const shares = wanted.map((share) => share * scale);
  const unrelatedShare = 1 - total * scale;
  const chance = u.map((levels, f) => {
    const exact = levels.length - 1;
    const byRelated = related.reduce((sum, latent, k) => sum + shares[k]! * latent.probabilities[f]![exact]!, 0);
    return Math.max((levels[exact]! - byRelated) / unrelatedShare, 1 / pairs);
  });
  return [
    ...related.map((latent, k) => ({ ...latent, share: shares[k]! })),
    { name: 'unrelated', share: unrelatedShare, probabilities: withExactAgreement(u, chance) },
  ];
}

/** Share of each value of a field among the records having one: exact agreement's u, and the term-frequency adjustment. */
export interface ValueFrequencies {
  /** The chance that two distinct records with a value share it. */
  agreement: number;
  /** The share a record's value has on average (the sum of squared shares): a value commoner than this is weaker evidence. */
  meanShare: number;
  share(value: string): number | undefined;
}

export function frequenciesOf(values: Iterable<string | null>): ValueFrequencies | undefined {
  const counts = new Map<string, number>();
  let total = 0;
  for (const value of values) {
    if (value === null) continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
    total++;
  }
  if (total < 2) return undefined;
  let agreeing = 0;
  let meanShare = 0;
  for (const count of counts.values()) {
    agreeing += count * (count - 1);
    meanShare += (count / total) ** 2;
  }
  const agreement = Math.max(agreeing / (total * (total - 1)), 1 / (total * (total - 1)));
  return { agreement, meanShare, share: (value) => (counts.has(value) ? counts.get(value)! / total : undefined) };
}

/**
 * Estimates the classes by expectation–maximisation over the candidate pairs' comparison
 * vectors, without labels. The unrelated class starts from pairs drawn at random (`estimateU`),
 * the household class from them too but agreeing on household fields, the match class agreeing
 * on everything. On personal fields (names, birth date, identifier, gender) the household class
 * is tied to the unrelated one: what makes relatives a class is where they live, not who they are,
 * so a duplicate with a mistyped field cannot pass for a relative. Identical vectors are counted once, so an iteration costs the number of
 * distinct vectors, not of pairs.
 */
export function estimateParameters(
  comparators: readonly FieldComparator[],
  vectors: readonly Int8Array[],
  u: readonly number[][],
  { maxIterations = 200, tolerance = 1e-6 } = {},
): ModelParameters {
  const patterns = new Map<number, { vector: Int8Array; count: number }>();
  for (const vector of vectors) {
    // Levels are -1 to 6: three bits a field, so a vector of up to 17 fields is one exact number.
    let key = 0;
    for (let f = 0; f < vector.length; f++) key = key * 8 + vector[f]! + 1;
    const pattern = patterns.get(key);
    if (pattern) pattern.count++;
    else patterns.set(key, { vector, count: 1 });
  }
  const distinct = [...patterns.values()];
  const agreeing = (levels: number) => normalised(Array.from({ length: levels }, (_, level) => 2 ** (3 * (level + 1 - levels)) * (level === levels - 1 ? 8 : 1)));
  const classes: LatentClass[] = [
    { name: 'match', share: 0.3, probabilities: comparators.map((comparator) => agreeing(comparator.levels.length)) },
    { name: 'household', share: 0.2, probabilities: comparators.map((comparator, f) => (comparator.household ? agreeing(comparator.levels.length) : [...u[f]!])) },
    { name: 'unrelated', share: 0.5, probabilities: comparators.map((_, f) => [...u[f]!]) },
  ];
  let iterations = 0;
  const logs = new Float64Array(classes.length);
  for (; iterations < maxIterations; iterations++) {
    const counts = classes.map((latent) => latent.probabilities.map((levels) => new Array<number>(levels.length).fill(0)));
    const totals = new Array<number>(classes.length).fill(0);
    // Logarithms once per iteration, not once per pattern.
    const shareLogs = classes.map((latent) => Math.log(latent.share));
    const levelLogs = classes.map((latent) => latent.probabilities.map((levels) => levels.map(Math.log)));
    for (const { vector, count } of distinct) {
      let highest = -Infinity;
      for (let k = 0; k < classes.length; k++) {
        let log = shareLogs[k]!;
        const tables = levelLogs[k]!;
        for (let f = 0; f < vector.length; f++) if (vector[f]! >= 0) log += tables[f]![vector[f]!]!;
        logs[k] = log;
        if (log > highest) highest = log;
      }
      let sum = 0;
      for (let k = 0; k < classes.length; k++) sum += Math.exp(logs[k]! - highest);
      for (let k = 0; k < classes.length; k++) {
        const responsibility = (Math.exp(logs[k]! - highest) / sum) * count;
        totals[k]! += responsibility;
        for (let f = 0; f < vector.length; f++) if (vector[f]! >= 0) counts[k]![f]![vector[f]!]! += responsibility;
      }
    }
    const all = totals.reduce((a, b) => a + b, 0);
    let change = 0;
    // Relatives are unrelated people on personal fields: the two classes share those counts.
    comparators.forEach((comparator, f) => {
      if (comparator.household) return;
      const pooled = counts[1]![f]!.map((count, level) => count + counts[2]![f]![level]!);
      counts[1]![f] = pooled;
      counts[2]![f] = pooled;
    });
    classes.forEach((latent, k) => {
      const share = Math.min(Math.max(totals[k]! / Math.max(all, 1), 1e-9), 1);
      change = Math.max(change, Math.abs(share - latent.share));
      latent.share = share;
      latent.probabilities = counts[k]!.map((levelCounts, f) => {
        const next = normalised(levelCounts);
        next.forEach((value, level) => (change = Math.max(change, Math.abs(value - latent.probabilities[f]![level]!))));
        return next;
      });
    });
    if (change < tolerance) break;
  }
  const fields = fieldParametersOf(comparators, classes);
  return { classes, fields, iterations };
}

/** m and u per field from the classes: u is the non-match classes together, weighted by their shares. */
export function fieldParametersOf(comparators: readonly FieldComparator[], classes: readonly LatentClass[]): FieldParameters[] {
  const [match, ...others] = classes as [LatentClass, ...LatentClass[]];
  const otherShare = others.reduce((sum, latent) => sum + latent.share, 0);
  return comparators.map((comparator, f) => ({
    field: comparator.field,
    levels: comparator.levels,
    m: match.probabilities[f]!,
    u: match.probabilities[f]!.map((_, level) => others.reduce((sum, latent) => sum + latent.share * latent.probabilities[f]![level]!, 0) / otherShare),
  }));
}
