import type { Grade, PairScore } from './matching/matcher.ts';
import { registryMatcher } from './matching/trained.ts';
import { hashedKeysOf, matchRecordOf, type MatchablePatient } from './match-index.ts';
import type { Patient } from './model.ts';
import type { PatientStore } from './patient-store.ts';

export interface PatientMatch {
  patient: Patient;
  score: number;
  grade: Grade;
  weight: number;
  fields: PairScore['fields'];
  heldBack: string | null;
}

const gradeOrder: Record<Grade, number> = { CERTAIN: 0, PROBABLE: 1, POSSIBLE: 2 };

/**
 * Registered patients that may be `proposed`, best first: the candidates sharing a blocking key
 * within the store's scope, scored, those graded at least possible (certain only when asked).
 * Nothing is released: the caller releases what it answers with (`findMatches` does).
 */
export async function scoreCandidates(
  store: PatientStore,
  proposed: MatchablePatient,
  { onlyCertain = false, count = 10 }: { onlyCertain?: boolean; count?: number } = {},
): Promise<PatientMatch[]> {
  const record = matchRecordOf(proposed);
  const [candidates, statistics] = await Promise.all([store.matchCandidates(hashedKeysOf(record)), store.registryStatistics()]);
  const matcher = registryMatcher(statistics);
  return candidates
    .filter((patient) => patient.id !== proposed.id)
    .map((patient) => ({ patient, score: matcher.score(record, matchRecordOf(patient)) }))
    .filter(({ score }) => score.grade !== null && (!onlyCertain || score.grade === 'CERTAIN'))
    .sort((a, b) => gradeOrder[a.score.grade!] - gradeOrder[b.score.grade!] || b.score.weight - a.score.weight || a.patient.id.localeCompare(b.patient.id))
    .slice(0, count)
    .map(({ patient, score }) => ({ patient, score: score.probability, grade: score.grade!, weight: score.weight, fields: score.fields, heldBack: score.capped }));
}

/** `scoreCandidates`, the candidates answered released to the caller's audit trail. */
export async function findMatches(store: PatientStore, proposed: MatchablePatient, options: { onlyCertain?: boolean; count?: number } = {}): Promise<PatientMatch[]> {
  const matches = await scoreCandidates(store, proposed, options);
  store.releaseMatches(matches.map(({ patient }) => patient));
  return matches;
}
