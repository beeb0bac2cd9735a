// npm run mpi:train: estimates the matcher the patients subgraph scores with, by EM without labels
// on the generated registration set (matching/synthetic.ts, seeded), and writes its classes to
// subgraphs/patients/matching/trained-model.json. Deterministic: the same file on every run.
import { writeFileSync } from 'node:fs';
import { linkRecords } from '../subgraphs/patients/matching/matcher.ts';
import { generateHardSet } from '../subgraphs/patients/matching/synthetic.ts';
import { trainedModelPath } from '../subgraphs/patients/matching/trained.ts';

const { records } = generateHardSet({ seed: 14, households: 2500 });
// EM's classes as learnt: the registry's matcher weighs them against its own random pairs (populationClasses).
const { learnt, u, candidatePairs } = linkRecords(records);
const round = (value: number) => Number(value.toPrecision(6));
const classes = learnt.classes.map((latent) => ({ ...latent, share: round(latent.share), probabilities: latent.probabilities.map((levels) => levels.map(round)) }));
writeFileSync(trainedModelPath, `${JSON.stringify({ trainedOn: 'generated registration set, seed 14, 2500 households', records: records.length, candidatesPerRecord: round(candidatePairs / records.length), u: u.map((levels) => levels.map(round)), classes }, null, 1)}\n`);
console.log(`wrote ${trainedModelPath.pathname} (${learnt.iterations} EM iterations)`);
