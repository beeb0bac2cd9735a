import { candidatePairs, type BlockingKey, blockingKeys } from './blocking.ts';
import { comparators as defaultComparators, type ComparatorOptions, type FieldComparator } from './comparators.ts';
import { comparisonVector, estimateParameters, estimateU, frequenciesOf, type ModelParameters, type ValueFrequencies } from './model.ts';
import type { MatchRecord } from './record.ts';
import { SeededRandom } from '../../../platform/demo/random.ts';

export type Grade = 'CERTAIN' | 'PROBABLE' | 'POSSIBLE';

export interface FieldAgreement {
  field: string;
  /** The comparator's level name: exact, close, near, phonetic, different…, or missing. */
  agreement: string;
  /** log2(m/u) this field added, term frequency included; 0 when missing. */
  weight: number;
}

export interface PairScore {
  /** log2 of the posterior odds that the two records are one person. */
  weight: number;
  probability: number;
  /** Null below the possible threshold: not a candidate worth showing. */
  grade: Grade | null;
  fields: FieldAgreement[];
  /** Why a pair scoring certain is graded probable: TWIN_LIKE, GENERATION, GIVEN_NAME_DIFFERS, BIRTH_DATE_DIFFERS, IDENTIFIER_DIFFERS. */
  capped: string | null;
}

/** Posterior probabilities from which a pair is graded. */
export interface Thresholds {
  certain: number;
  probable: number;
  possible: number;
}

export const defaultThresholds: Thresholds = { certain: 0.999, probable: 0.9, possible: 0.1 };

/** A common value is weaker evidence, a rare one stronger, within this many bits either way. */
const MAX_FREQUENCY_ADJUSTMENT = 4;

/**
 * Why a pair must not be graded certain however high it scores: a false merge is worse than a
 * missed one, so these go to a person (probable at most).
 * - twins: same family and birth date, different given names, identifiers different or unknown;
 * - a parent and child sharing a name: different generational suffixes, or birth years a
 *   generation apart, identifiers not alike;
 * - a different given name, birth date or identifier.
 */
function notCertainBecause(a: MatchRecord, b: MatchRecord, levels: ReadonlyMap<string, number | null>): string | null {
  const given = levels.get('given');
  const family = levels.get('family');
  const birthDate = levels.get('birthDate');
  const identifier = levels.get('identifier');
  const identifiersUnlike = identifier == null || identifier === 0;
  if (given != null && given <= 1 && birthDate === 2 && family != null && family >= 2 && identifiersUnlike) return 'TWIN_LIKE';
  if (a.suffix !== b.suffix && (a.suffix !== null || b.suffix !== null)) return 'GENERATION';
  if (identifiersUnlike && a.birthDate && b.birthDate && birthDate === 0 && Math.abs(Number(a.birthDate.slice(0, 4)) - Number(b.birthDate.slice(0, 4))) >= 12) {
    return 'GENERATION';
  }
  if (given === 0 || given === 1) return 'GIVEN_NAME_DIFFERS';
  if (birthDate === 0) return 'BIRTH_DATE_DIFFERS';
  if (identifier === 0) return 'IDENTIFIER_DIFFERS';
  return null;
}

/** A trained model with its comparators and value frequencies: scores and grades pairs of records. */
export class Matcher {
  constructor(
    readonly comparators: readonly FieldComparator[],
    readonly parameters: ModelParameters,
    /** Per field with a frequency value; a field without is not adjusted. */
    private readonly frequencies: ReadonlyMap<string, ValueFrequencies>,
    readonly thresholds: Thresholds = defaultThresholds,
  ) {}

  score(a: MatchRecord, b: MatchRecord): PairScore {
    const vector = comparisonVector(this.comparators, a, b);
    const { classes, fields } = this.parameters;
    // log2 of each class's share times the chance of this vector in it; match against the rest.
    const classLogs = classes.map((latent) => Math.log2(latent.share) + latent.probabilities.reduce((sum, levels, f) => (vector[f]! >= 0 ? sum + Math.log2(levels[vector[f]!]!) : sum), 0));
    const highest = Math.max(...classLogs.slice(1));
    let weight = classLogs[0]! - (highest + Math.log2(classLogs.slice(1).reduce((sum, log) => sum + 2 ** (log - highest), 0)));
    const agreements: FieldAgreement[] = [];
    const levels = new Map<string, number | null>();
    this.comparators.forEach((comparator, f) => {
      const level = vector[f]!;
      const parameters = fields[f]!;
      levels.set(comparator.field, level < 0 ? null : level);
      if (level < 0) {
        agreements.push({ field: comparator.field, agreement: 'missing', weight: 0 });
        return;
      }
      let fieldWeight = Math.log2(parameters.m[level]! / parameters.u[level]!);
      let adjustment = 0;
      const exact = level === comparator.levels.length - 1;
      const frequencies = this.frequencies.get(comparator.field);
      const value = exact && frequencies ? comparator.value(a) : null;
      const share = value ? frequencies!.share(value) : undefined;
      if (share !== undefined) {
        adjustment = Math.max(-MAX_FREQUENCY_ADJUSTMENT, Math.min(MAX_FREQUENCY_ADJUSTMENT, -Math.log2(share / frequencies!.meanShare)));
        fieldWeight += adjustment;
      }
      weight += adjustment;
      agreements.push({ field: comparator.field, agreement: comparator.levels[level]!, weight: fieldWeight });
    });
    const probability = 1 / (1 + 2 ** -weight);
    const { certain, probable, possible } = this.thresholds;
    let grade: Grade | null = probability >= certain ? 'CERTAIN' : probability >= probable ? 'PROBABLE' : probability >= possible ? 'POSSIBLE' : null;
    const capped = grade === 'CERTAIN' || grade === 'PROBABLE' ? notCertainBecause(a, b, levels) : null;
    if (capped) grade = capped === 'TWIN_LIKE' && a.gender && b.gender ? 'POSSIBLE' : 'PROBABLE';
    return { weight, probability, grade, fields: agreements, capped };
  }
}

export interface TrainingOptions extends ComparatorOptions {
  keys?: Readonly<Record<string, BlockingKey>>;
  maxBlock?: number;
  /** Random pairs the unrelated class starts from. */
  randomPairs?: number;
  seed?: number;
  thresholds?: Thresholds;
}

export interface Linkage {
  matcher: Matcher;
  /** Candidate pairs by record index, with their scores. */
  scored: Array<{ a: number; b: number; score: PairScore }>;
  candidatePairs: number;
  skippedBlocks: number;
}

/**
 * Deduplicates a set of records: blocks, compares, estimates the model by EM on the candidate
 * pairs (no labels), then scores every candidate pair with the value frequencies of the set.
 */
export function linkRecords(records: readonly MatchRecord[], options: TrainingOptions = {}): Linkage {
  const comparators = defaultComparators(options);
  const { pairs, skippedBlocks } = candidatePairs(records, { maxBlock: options.maxBlock, keys: options.keys ?? blockingKeys });
  const vectors = pairs.map(([a, b]) => comparisonVector(comparators, records[a]!, records[b]!));
  const random = new SeededRandom(options.seed ?? 1);
  const randomVectors: Int8Array[] = [];
  const wanted = Math.min(options.randomPairs ?? 50_000, (records.length * (records.length - 1)) / 2);
  for (let i = 0; i < wanted && records.length > 1; i++) {
    const a = random.int(0, records.length - 1);
    const b = random.int(0, records.length - 1);
    if (a !== b) randomVectors.push(comparisonVector(comparators, records[a]!, records[b]!));
  }
  const parameters = estimateParameters(comparators, vectors, estimateU(comparators, records, randomVectors));
  const frequencies = new Map<string, ValueFrequencies>();
  for (const comparator of comparators) {
    const values = comparator.frequencyAdjusted ? frequenciesOf(records.map((record) => comparator.value(record))) : undefined;
    if (values) frequencies.set(comparator.field, values);
  }
  const matcher = new Matcher(comparators, parameters, frequencies, options.thresholds);
  const scored = pairs.map(([a, b]) => ({ a, b, score: matcher.score(records[a]!, records[b]!) }));
  return { matcher, scored, candidatePairs: pairs.length, skippedBlocks };
}
