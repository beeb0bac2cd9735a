import { candidatePairs, type BlockingKey, blockingKeys } from './blocking.ts';
import { comparators as defaultComparators, type ComparatorOptions, type FieldComparator, type Level } from './comparators.ts';
import { comparisonVector, estimateParameters, estimateU, fieldParametersOf, frequenciesOf, populationClasses, type ModelParameters, type ValueFrequencies } from './model.ts';
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
  /** Why a pair scoring certain is graded probable (or one scoring probable possible, see `cappedGrade`): TWIN_LIKE, GENERATION, GIVEN_NAME_DIFFERS, BIRTH_DATE_DIFFERS, IDENTIFIER_DIFFERS. */
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

/** Bits a bound on a pair's weight keeps from the threshold, for rounding. */
const BOUND_MARGIN = 1e-6;

/**
 * Why a pair must not be graded certain however high it scores: a false merge is worse than a
 * missed one, so these go to a person (probable at most).
 * - twins: same family and birth date, different given names, identifiers different or unknown;
 * - a parent and child sharing a name: different generational suffixes, or birth years a
 *   generation apart (`generationApart`), identifiers not alike;
 * - a different given name, birth date (two errors apart or more) or identifier.
 */
function notCertainBecause(a: MatchRecord, b: MatchRecord, given: Level, family: Level, birthDate: Level, identifier: Level): string | null {
  const identifiersUnlike = identifier == null || identifier === 0;
  if (given != null && given <= 1 && birthDate === BIRTH_DATE.exact && family != null && family >= 2 && identifiersUnlike) return 'TWIN_LIKE';
  if (a.suffix !== b.suffix && (a.suffix !== null || b.suffix !== null)) return 'GENERATION';
  if (identifiersUnlike && a.birthDate && b.birthDate && generationApart(a.birthDate, b.birthDate, birthDate)) return 'GENERATION';
  if (given === 0 || given === 1) return 'GIVEN_NAME_DIFFERS';
  if (birthDate !== null && birthDate <= BIRTH_DATE.far) return 'BIRTH_DATE_DIFFERS';
  if (identifier === 0) return 'IDENTIFIER_DIFFERS';
  return null;
}

/** The birth date comparator's levels (`compareBirthDate`). */
const BIRTH_DATE = { different: 0, far: 1, near: 2, exact: 3 } as const;

/**
 * Birth years a generation apart (twelve years or more), unless the dates are two errors apart
 * and the years one digit: a mistyped decade (1953 typed 1923), not a parent born on the same day.
 */
function generationApart(a: string, b: string, birthDate: Level): boolean {
  if (birthDate === null || birthDate > BIRTH_DATE.far || Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4))) < 12) return false;
  return birthDate === BIRTH_DATE.different || yearDigitsApart(a, b) > 1;
}

const yearDigitsApart = (a: string, b: string) => {
  let apart = 0;
  for (let i = 0; i < 4; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) apart++;
  return apart;
};

const levelOf = (vector: Int8Array, field: number): Level => (field < 0 || vector[field]! < 0 ? null : vector[field]!);

/** A trained model with its comparators and value frequencies: scores and grades pairs of records. */
export class Matcher {
  /** Per class, log2 of its share. */
  private readonly classShares: Float64Array;
  /** Per class, per field, per level: log2 of the chance of that level in that class (computed once, not per pair). */
  private readonly classLogs: Float64Array[][];
  private readonly fieldWeights: Float64Array[];
  private readonly fieldFrequencies: Array<ValueFrequencies | undefined>;
  private readonly at: { given: number; family: number; birthDate: number; identifier: number };

  constructor(
    readonly comparators: readonly FieldComparator[],
    readonly parameters: ModelParameters,
    /** Per field with a frequency value; a field without is not adjusted. */
    private readonly frequencies: ReadonlyMap<string, ValueFrequencies>,
    readonly thresholds: Thresholds = defaultThresholds,
  ) {
    const { classes, fields } = parameters;
    this.classShares = Float64Array.from(classes, (latent) => Math.log2(latent.share));
    this.classLogs = classes.map((latent) => latent.probabilities.map((levels) => Float64Array.from(levels, Math.log2)));
    this.fieldWeights = fields.map(({ m, u }) => Float64Array.from(m, (chance, level) => Math.log2(chance / u[level]!)));
    this.fieldFrequencies = comparators.map((comparator) => frequencies.get(comparator.field));
    const index = (field: string) => comparators.findIndex((comparator) => comparator.field === field);
    this.at = { given: index('given'), family: index('family'), birthDate: index('birthDate'), identifier: index('identifier') };
    this.scratch = { vector: new Int8Array(comparators.length), logs: new Float64Array(classes.length) };
    this.costly = comparators.flatMap((comparator, f) => (comparator.upTo ? [f] : []));
    this.cheap = comparators.flatMap((comparator, f) => (comparator.upTo ? [] : [f]));
    // A frequency-adjusted field's exact agreement may weigh up to the adjustment's limit more.
    const adjustment = (f: number, level: number) => (this.fieldFrequencies[f] && level === comparators[f]!.levels.length - 1 ? MAX_FREQUENCY_ADJUSTMENT : 0);
    this.gains = this.classLogs.slice(1).map((tables) => tables.map((levels, f) => levels.map((log, level) => this.classLogs[0]![f]![level]! - log + adjustment(f, level))));
    this.ceilings = this.gains.map((fields) =>
      fields.map((levels) => {
        // Index 0 is a missing value (level -1), then each level: the most this field can add at up to that level.
        const ceiling = new Float64Array(levels.length + 1);
        for (let level = 0; level < levels.length; level++) ceiling[level + 1] = Math.max(ceiling[level]!, levels[level]!);
        return ceiling;
      }),
    );
    this.possibleWeight = Math.log2(this.thresholds.possible / (1 - this.thresholds.possible)) - BOUND_MARGIN;
    this.bounds = { known: new Float64Array(classes.length), rest: new Float64Array(classes.length), upTo: new Int8Array(comparators.length) };
  }

  /** Fields compared only when the pair may still score a possible match (`upTo`), and the others. */
  private readonly costly: number[];
  private readonly cheap: number[];
  /** Per class other than match, per field, per level: log2 of match's chance over that class's, and the most term frequency adds. */
  private readonly gains: Float64Array[][];
  /** `gains`' running maximum over the levels, from 0 for a missing value: at most what a field can add. */
  private readonly ceilings: Float64Array[][];
  private readonly possibleWeight: number;
  /** Per class other than match: the bound's part from the fields compared and from those left; per field, the level it can reach. */
  private readonly bounds: { known: Float64Array; rest: Float64Array; upTo: Int8Array };

  /**
   * `score` without explanation for a batch of millions of pairs, most of them two strangers:
   * null, without comparing the costly fields, when the pair cannot reach the possible threshold.
   * The pair's weight is at most match's log-odds against any one other class, and a field not yet
   * compared adds at most its ceiling there; the fields are compared cheapest first until that
   * bound falls below the threshold or every field is known. Same grades as `score`.
   */
  scoreUnlessUnlikely(a: MatchRecord, b: MatchRecord): PairScore | null {
    const { vector } = this.scratch;
    const { known, rest, upTo } = this.bounds;
    const others = this.gains.length;
    for (let k = 0; k < others; k++) {
      known[k] = this.classShares[0]! - this.classShares[k + 1]!;
      rest[k] = 0;
    }
    for (const f of this.cheap) {
      const level = this.comparators[f]!.compare(a, b);
      vector[f] = level ?? -1;
      if (level !== null) for (let k = 0; k < others; k++) known[k]! += this.gains[k]![f]![level]!;
    }
    for (const f of this.costly) {
      upTo[f] = this.comparators[f]!.upTo!(a, b);
      for (let k = 0; k < others; k++) rest[k]! += this.ceilings[k]![f]![upTo[f]! + 1]!;
    }
    if (this.unlikely(others)) return null;
    for (const f of this.costly) {
      const level = this.comparators[f]!.compare(a, b);
      vector[f] = level ?? -1;
      for (let k = 0; k < others; k++) {
        rest[k]! -= this.ceilings[k]![f]![upTo[f]! + 1]!;
        if (level !== null) known[k]! += this.gains[k]![f]![level]!;
      }
      if (this.unlikely(others)) return null;
    }
    return this.scoreVector(vector, a, b, false);
  }

  private unlikely(others: number): boolean {
    const { known, rest } = this.bounds;
    for (let k = 0; k < others; k++) if (known[k]! + rest[k]! < this.possibleWeight) return true;
    return false;
  }

  /** `explain` false leaves `fields` empty: a batch of millions of pairs needs the grade only. */
  score(a: MatchRecord, b: MatchRecord, { explain = true } = {}): PairScore {
    // Without the explanation nothing keeps the vector: one serves every pair.
    const vector = explain ? comparisonVector(this.comparators, a, b) : comparisonVector(this.comparators, a, b, this.scratch.vector);
    return this.scoreVector(vector, a, b, explain);
  }

  /** Reused by every call (JavaScript runs one at a time): allocations per pair are what a batch of millions spends its time collecting. */
  private readonly scratch: { vector: Int8Array; logs: Float64Array };

  /** Scores a pair whose comparison vector is already known (batch linkage compares each pair once). */
  scoreVector(vector: Int8Array, a: MatchRecord, b: MatchRecord, explain = true): PairScore {
    const classCount = this.classShares.length;
    // log2 of each class's share times the chance of this vector in it; match against the rest.
    let highest = -Infinity;
    const logs = this.scratch.logs;
    for (let k = 0; k < classCount; k++) {
      let log = this.classShares[k]!;
      const tables = this.classLogs[k]!;
      for (let f = 0; f < vector.length; f++) if (vector[f]! >= 0) log += tables[f]![vector[f]!]!;
      logs[k] = log;
      if (k > 0 && log > highest) highest = log;
    }
    let others = 0;
    for (let k = 1; k < classCount; k++) others += 2 ** (logs[k]! - highest);
    let weight = logs[0]! - (highest + Math.log2(others));
    const agreements: FieldAgreement[] = explain ? new Array(vector.length) : [];
    for (let f = 0; f < vector.length; f++) {
      const comparator = this.comparators[f]!;
      const level = vector[f]!;
      if (level < 0) {
        if (explain) agreements[f] = { field: comparator.field, agreement: 'missing', weight: 0 };
        continue;
      }
      let fieldWeight = this.fieldWeights[f]![level]!;
      const frequencies = this.fieldFrequencies[f];
      if (frequencies && level === comparator.levels.length - 1) {
        const value = comparator.value(a);
        const share = value ? frequencies.share(value) : undefined;
        if (share !== undefined) {
          const adjustment = Math.max(-MAX_FREQUENCY_ADJUSTMENT, Math.min(MAX_FREQUENCY_ADJUSTMENT, -Math.log2(share / frequencies.meanShare)));
          fieldWeight += adjustment;
          weight += adjustment;
        }
      }
      if (explain) agreements[f] = { field: comparator.field, agreement: comparator.levels[level]!, weight: fieldWeight };
    }
    const probability = 1 / (1 + 2 ** -weight);
    const { certain, probable, possible } = this.thresholds;
    let grade: Grade | null = probability >= certain ? 'CERTAIN' : probability >= probable ? 'PROBABLE' : probability >= possible ? 'POSSIBLE' : null;
    const { at } = this;
    const capped =
      grade === 'CERTAIN' || grade === 'PROBABLE'
        ? notCertainBecause(a, b, levelOf(vector, at.given), levelOf(vector, at.family), levelOf(vector, at.birthDate), levelOf(vector, at.identifier))
        : null;
    if (capped) grade = capped === 'TWIN_LIKE' && a.gender && b.gender ? 'POSSIBLE' : cappedGrade(grade!, capped, levelOf(vector, at.identifier), levelOf(vector, at.birthDate), sameHome(a, b));
    return { weight, probability, grade, fields: agreements, capped };
  }
}

/** Reasons that describe a relative when the two records share a home: another given name, another birth date, a generation apart. */
const RELATIVE_LIKE = new Set(['GENERATION', 'BIRTH_DATE_DIFFERS', 'GIVEN_NAME_DIFFERS']);

const sameHome = (a: MatchRecord, b: MatchRecord) => (a.phone !== null && a.phone === b.phone) || (a.addressLine !== null && a.addressLine === b.addressLine);

/**
 * The grade of a pair with a reason not to be certain. A certain score becomes probable. A
 * probable one stays probable, unless the pair looks like two relatives: it differs on who the
 * person is (given name, birth date, generation), its identifiers do not vouch for it (missing or
 * different) and the two share a phone or an address line; then it is only possible. On the
 * generated set these were most of the false matches (siblings, parents and children, spouses).
 * Birth dates two errors apart are a mistyped date, not a relative's: relatives are born on days
 * of their own, twins on the same.
 */
function cappedGrade(grade: Grade, reason: string, identifier: Level, birthDate: Level, home: boolean): Grade {
  const relativeLike = RELATIVE_LIKE.has(reason) && !(reason === 'BIRTH_DATE_DIFFERS' && birthDate === BIRTH_DATE.far);
  if (grade === 'PROBABLE' && relativeLike && identifier !== 2 && identifier !== 1 && home) return 'POSSIBLE';
  return 'PROBABLE';
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
  /** The classes EM learnt on the candidate pairs, before they are fitted to the set's population for scoring (`npm run mpi:train` keeps them). */
  learnt: ModelParameters;
  /** Per field and level, the chance for two records of the set drawn at random. */
  u: number[][];
  /** Candidate pairs by record index, with their scores. */
  scored: Array<{ a: number; b: number; score: PairScore }>;
  candidatePairs: number;
  skippedBlocks: number;
}

/**
 * Deduplicates a set of records: blocks, compares, estimates the model by EM on the candidate
 * pairs (no labels), then scores every candidate pair against two records of the set drawn at
 * random (`populationClasses`, as the registry's matcher does) with the set's value frequencies.
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
  const u = estimateU(comparators, records, randomVectors);
  const learnt = estimateParameters(comparators, vectors, u);
  const classes = populationClasses(learnt.classes, pairs.length / records.length, records.length, u);
  const parameters: ModelParameters = { classes, fields: fieldParametersOf(comparators, classes), iterations: learnt.iterations };
  const frequencies = new Map<string, ValueFrequencies>();
  for (const comparator of comparators) {
    const values = comparator.frequencyAdjusted ? frequenciesOf(records.map((record) => comparator.value(record))) : undefined;
    if (values) frequencies.set(comparator.field, values);
  }
  const matcher = new Matcher(comparators, parameters, frequencies, options.thresholds);
  const scored = pairs.map(([a, b], index) => ({ a, b, score: matcher.scoreVector(vectors[index]!, records[a]!, records[b]!) }));
  return { matcher, learnt, u, scored, candidatePairs: pairs.length, skippedBlocks };
}
