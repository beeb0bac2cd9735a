import type { Grade } from './matcher.ts';

export interface PairQuality {
  truePairs: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

/** All pairs of records of one entity: the truth recall is measured against, whether blocking kept them or not. */
export function countTruePairs(entities: readonly string[]): number {
  const sizes = new Map<string, number>();
  for (const entity of entities) sizes.set(entity, (sizes.get(entity) ?? 0) + 1);
  let pairs = 0;
  for (const size of sizes.values()) pairs += (size * (size - 1)) / 2;
  return pairs;
}

/** Pair precision, recall and F1 of the pairs predicted to match, against every true pair. */
export function pairQuality(entities: readonly string[], predicted: ReadonlyArray<{ a: number; b: number }>): PairQuality {
  const truePairs = countTruePairs(entities);
  const correct = predicted.filter(({ a, b }) => entities[a] === entities[b]).length;
  const precision = predicted.length === 0 ? 1 : correct / predicted.length;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predicted: predicted.length, correct, precision, recall, f1 };
}

/** A pair graded certain or probable is predicted to be one person; a possible one is left to a person. */
export const predictsMatch = (grade: Grade | null) => grade === 'CERTAIN' || grade === 'PROBABLE';
