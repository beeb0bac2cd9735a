import type { Grade } from './matcher.ts';
import { predictsMatch } from './evaluate.ts';
import type { RegistrationError, SyntheticSet } from './synthetic.ts';

/** Why a true pair was missed: blocking never compared it, or it scored below probable. */
export interface MissedByError {
  error: RegistrationError;
  /** True pairs where either record carries this error. */
  pairs: number;
  notCompared: number;
  scoredLow: number;
}

/** Pairs of two people predicted to be one, by how the two are related. */
export type FalseMatchKind = 'twin' | 'parent-child' | 'same household' | 'unrelated';

export interface ErrorBreakdown {
  missed: MissedByError[];
  /** True pairs missed, by the number of errors the two records carry together. */
  missedByErrorCount: Array<{ errors: number; pairs: number; notCompared: number; scoredLow: number }>;
  falseMatches: Array<{ kind: FalseMatchKind; certain: number; probable: number }>;
}

/**
 * Where the generated set's errors come from, from its truth: for each registration error, how
 * many pairs carrying it blocking never compared and how many scored too low; for false matches,
 * how the two people are related. For the bench; the matcher never sees any of it.
 */
export function errorBreakdown(set: SyntheticSet, scored: ReadonlyArray<{ a: number; b: number; score: { grade: Grade | null } }>): ErrorBreakdown {
  const n = set.records.length;
  const gradeOf = new Map<number, Grade | null>();
  for (const { a, b, score } of scored) gradeOf.set(a < b ? a * n + b : b * n + a, score.grade);
  const byEntity = new Map<string, number[]>();
  set.entities.forEach((entity, index) => byEntity.set(entity, [...(byEntity.get(entity) ?? []), index]));
  const missed = new Map<RegistrationError, MissedByError>();
  const byCount = new Map<number, { errors: number; pairs: number; notCompared: number; scoredLow: number }>();
  for (const indices of byEntity.values()) {
    for (let i = 0; i < indices.length; i++) {
      for (let j = i + 1; j < indices.length; j++) {
        const [a, b] = [Math.min(indices[i]!, indices[j]!), Math.max(indices[i]!, indices[j]!)];
        const compared = gradeOf.has(a * n + b);
        const found = compared && predictsMatch(gradeOf.get(a * n + b)!);
        const errors = [...set.errors[a]!, ...set.errors[b]!];
        const count = byCount.get(errors.length) ?? { errors: errors.length, pairs: 0, notCompared: 0, scoredLow: 0 };
        byCount.set(errors.length, count);
        count.pairs++;
        if (!compared) count.notCompared++;
        else if (!found) count.scoredLow++;
        for (const error of new Set(errors)) {
          const row = missed.get(error) ?? { error, pairs: 0, notCompared: 0, scoredLow: 0 };
          missed.set(error, row);
          row.pairs++;
          if (!compared) row.notCompared++;
          else if (!found) row.scoredLow++;
        }
      }
    }
  }
  const relation = new Map(set.relatives.map(({ a, b, kind }) => [[a, b].sort().join('|'), kind]));
  const falseMatches = new Map<FalseMatchKind, { kind: FalseMatchKind; certain: number; probable: number }>();
  for (const { a, b, score } of scored) {
    if (!predictsMatch(score.grade) || set.entities[a] === set.entities[b]) continue;
    const kind: FalseMatchKind =
      relation.get([set.entities[a]!, set.entities[b]!].sort().join('|')) ?? (set.households[a] === set.households[b] ? 'same household' : 'unrelated');
    const row = falseMatches.get(kind) ?? { kind, certain: 0, probable: 0 };
    falseMatches.set(kind, row);
    if (score.grade === 'CERTAIN') row.certain++;
    else row.probable++;
  }
  return {
    missed: [...missed.values()].sort((x, y) => y.notCompared + y.scoredLow - (x.notCompared + x.scoredLow)),
    missedByErrorCount: [...byCount.values()].sort((x, y) => x.errors - y.errors),
    falseMatches: [...falseMatches.values()],
  };
}
