// npm run bench:match: the matcher on the three FEBRL sets and on the generated harder set.
// Pair precision, recall and F1 over every true pair, candidate pairs kept by blocking, records
// per second (blocking, EM and scoring, one process). MATCH_FEBRL_DIR says where the FEBRL files
// are (default: the repository's ../shared/data/febrl); MATCH_HARD_HOUSEHOLDS sizes the harder set.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setting } from '../platform/config.ts';
import { pairQuality, predictsMatch } from '../subgraphs/patients/matching/evaluate.ts';
import { febrlDirectory, febrlEntity, readFebrl } from '../subgraphs/patients/matching/febrl.ts';
import { linkRecords, type Linkage } from '../subgraphs/patients/matching/matcher.ts';
import type { MatchRecord } from '../subgraphs/patients/matching/record.ts';
import { generateHardSet } from '../subgraphs/patients/matching/synthetic.ts';
import { errorBreakdown } from '../subgraphs/patients/matching/breakdown.ts';

const febrlDir = febrlDirectory() ?? 'shared/data/febrl';
const households = setting('MATCH_HARD_HOUSEHOLDS');

function run(records: MatchRecord[], options: Parameters<typeof linkRecords>[1] = {}): { linkage: Linkage; seconds: number } {
  const started = process.hrtime.bigint();
  const linkage = linkRecords(records, options);
  return { linkage, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const f3 = (value: number) => value.toFixed(3);
const f4 = (value: number) => value.toFixed(4);

console.log(`load average at start: ${loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
console.log('Predicted: graded certain or probable. Generated set: relatives are twins and parent/child pairs of one name.\n');
console.log('| set | records | true pairs | candidate pairs | predicted | precision | recall | F1 | records/s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const set of ['dataset1', 'dataset2', 'dataset3']) {
  const path = join(febrlDir, `${set}.csv`);
  if (!existsSync(path)) {
    console.log(`| ${set} | not found at ${path} |`);
    continue;
  }
  const records = readFebrl(path);
  const entities = records.map((record) => febrlEntity(record.id));
  const { linkage, seconds } = run(records);
  const quality = pairQuality(entities, linkage.scored.filter(({ score }) => predictsMatch(score.grade)));
  console.log(
    `| FEBRL ${set} | ${records.length} | ${quality.truePairs} | ${linkage.candidatePairs} | ${quality.predicted} | ${f3(quality.precision)} | ${f3(quality.recall)} | ${f3(quality.f1)} | ${Math.round(records.length / seconds)} |`,
  );
}

const hard = generateHardSet({ households });
const { linkage, seconds } = run(hard.records, { identifierCheckDigit: true });
const predicted = linkage.scored.filter(({ score }) => predictsMatch(score.grade));
const quality = pairQuality(hard.entities, predicted);
const certain = pairQuality(hard.entities, linkage.scored.filter(({ score }) => score.grade === 'CERTAIN'));
console.log(
  `| generated (seed 14, ${households} households) | ${hard.records.length} | ${quality.truePairs} | ${linkage.candidatePairs} | ${quality.predicted} | ${f4(quality.precision)} | ${f4(quality.recall)} | ${f4(quality.f1)} | ${Math.round(hard.records.length / seconds)} |`,
);

const relation = new Map(hard.relatives.flatMap(({ a, b, kind }) => [[`${a}|${b}`, kind], [`${b}|${a}`, kind]]));
const relativesByGrade = { CERTAIN: 0, PROBABLE: 0, POSSIBLE: 0, none: 0 };
let relativePairs = 0;
for (const { a, b, score } of linkage.scored) {
  if (!relation.has(`${hard.entities[a]}|${hard.entities[b]}`)) continue;
  relativePairs++;
  relativesByGrade[score.grade ?? 'none']++;
}
console.log(`\ngenerated set, graded certain only: precision ${f4(certain.precision)}, recall ${f4(certain.recall)} (${certain.predicted} pairs)`);
console.log(
  `twin and parent/child record pairs among the candidates: ${relativePairs}; graded certain ${relativesByGrade.CERTAIN}, probable ${relativesByGrade.PROBABLE}, possible ${relativesByGrade.POSSIBLE}, below ${relativesByGrade.none}`,
);
const breakdown = errorBreakdown(hard, linkage.scored);
console.log('\nGenerated set, true pairs missed, by the registration errors either record carries (a pair counts under each of its errors):\n');
console.log('| error | true pairs | missed: never compared (blocking) | missed: scored below probable |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of breakdown.missed) console.log(`| ${row.error} | ${row.pairs} | ${row.notCompared} | ${row.scoredLow} |`);
console.log('\n| errors in the pair | true pairs | never compared | scored below probable |');
console.log('| ---: | ---: | ---: | ---: |');
for (const row of breakdown.missedByErrorCount) console.log(`| ${row.errors} | ${row.pairs} | ${row.notCompared} | ${row.scoredLow} |`);
console.log('\nGenerated set, false matches (two people predicted one), by how they are related:\n');
console.log('| relation | certain | probable |');
console.log('| --- | ---: | ---: |');
for (const row of breakdown.falseMatches) console.log(`| ${row.kind} | ${row.certain} | ${row.probable} |`);
console.log(`\nload average at end: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
