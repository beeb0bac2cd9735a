import { readFileSync } from 'node:fs';
import { comparators } from './comparators.ts';
import { Matcher } from './matcher.ts';
import { fieldParametersOf, frequenciesOf, populationClasses, withExactAgreement, type LatentClass } from './model.ts';
import type { MatchRecord } from './record.ts';

/** The classes `npm run mpi:train` estimated, committed with the code. */
export const trainedModelPath = new URL('./trained-model.json', import.meta.url);

interface TrainedModel {
  /** Records of the set EM learnt on, and candidate pairs a record there. */
  records: number;
  candidatesPerRecord: number;
  /** Per field and level, the chance for two records of that set drawn at random. */
  u: number[][];
  /** EM's classes, over that set's candidate pairs. */
  classes: LatentClass[];
}

/** What the registry's matcher is fitted to: the patients in use, and per field how often two of them share its value (`frequenciesOf`'s agreement; a field left out keeps the training set's). */
export interface RegistryStatistics {
  records: number;
  agreement: Readonly<Record<string, number>>;
}

let trained: TrainedModel | undefined;
const matchers = new Map<string, Matcher>();
/** Registries (schemas) one process keeps a matcher for: a test run makes many. */
const MAX_MATCHERS = 16;

/**
 * The matcher the registry is scored with: the classes estimated offline (npm run mpi:train),
 * scored against the registry's own random pairs (`populationClasses`, its size and value
 * frequencies; without them, the training set's). Exact agreement is not adjusted by the value's
 * own frequency online.
 */
export function registryMatcher(statistics?: RegistryStatistics): Matcher {
  const fields = comparators();
  const model = (trained ??= JSON.parse(readFileSync(trainedModelPath, 'utf8')) as TrainedModel);
  const records = statistics?.records ?? model.records;
  const exact = fields.map((comparator) => statistics?.agreement[comparator.field]);
  const key = `${records}:${exact.join(',')}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    const classes = populationClasses(model.classes, model.candidatesPerRecord, records, withExactAgreement(model.u, exact));
    matcher = new Matcher(fields, { classes, fields: fieldParametersOf(fields, classes), iterations: 0 }, new Map());
    if (matchers.size >= MAX_MATCHERS) matchers.clear();
    matchers.set(key, matcher);
  }
  return matcher;
}

/** The statistics of a registry in memory (as a batch deduplication reads it). */
export function statisticsOf(records: readonly MatchRecord[]): RegistryStatistics {
  const agreement: Record<string, number> = {};
  for (const comparator of comparators()) {
    const found = frequenciesOf(records.map((record) => comparator.value(record)))?.agreement;
    if (found !== undefined) agreement[comparator.field] = found;
  }
  return { records: records.length, agreement };
}
