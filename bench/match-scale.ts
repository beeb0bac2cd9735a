// npm run bench:match:scale: the master patient index at scale, in PostgreSQL. Registers
// MATCH_SCALE_RECORDS generated patients (seed 14, ground truth known) in a schema of its own
// through the patients subgraph's migrations, with the match keys registration writes; times
// MATCH_SCALE_PROBES `patientMatch` look-ups one at a time through the resolver's code path
// (findMatches on a request's PatientStore), people not registered, some of them duplicates of
// registered ones; then a full batch deduplication of the registry (dedupeRegistry, what
// `npm run mpi:dedupe` runs), with pair precision and recall against the truth. Drops its schema,
// unless MATCH_SCALE_SCHEMA names one to keep (and use again: the load takes minutes at a million).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { setting } from '../platform/config.ts';
import { migrate } from '../platform/database/migrations.ts';
import { openPostgres } from '../platform/database/postgres.ts';
import { RowScope } from '../platform/subgraph/row-scope.ts';
import { dedupeRegistry } from '../subgraphs/patients/dedupe.ts';
import { countTruePairs } from '../subgraphs/patients/matching/evaluate.ts';
import { generateHardSet } from '../subgraphs/patients/matching/synthetic.ts';
import { findMatches } from '../subgraphs/patients/patient-matching.ts';
import { PatientStore } from '../subgraphs/patients/patient-store.ts';
import { patientsSubgraph } from '../subgraphs/patients/subgraph.ts';
import { asPatient, loadRegistry } from './match-scale/registry-load.ts';

const records = setting('MATCH_SCALE_RECORDS');
const probes = setting('MATCH_SCALE_PROBES');
const url = setting('MATCH_SCALE_DATABASE_URL');
const kept = setting('MATCH_SCALE_SCHEMA');
const schema = kept ?? `bench_match_scale_${randomBytes(4).toString('hex')}`;

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const thousands = (value: number) => value.toLocaleString('en-US');
const f4 = (value: number) => value.toFixed(4);
/** A front-desk request's caller: sees every patient, as the resolver's scope for staff does. */
const frontDesk = { subject: 'bench', clientId: 'bench', roles: ['front_desk'], scopes: ['user/Patient.rs'], purposeOfUse: 'TREAT', expiresAt: 0 };

console.log(`load average at start: ${load()}`);
console.log(`schema ${schema}${kept ? ' (kept)' : ''}; ${thousands(records)} patients, ${thousands(probes)} patientMatch probes\n`);

// Records 1…N are registered (their ids in the set's shuffled order); those after are the probes.
let started = process.hrtime.bigint();
let set = generateHardSet({ households: Math.ceil((records + probes) / 2.9), scaledPools: true });
if (set.records.length < records + probes) throw new Error(`the generated set has ${set.records.length} records, fewer than ${records + probes}`);
const id = (index: number) => `pat-${String(index).padStart(8, '0')}`;
const registered = set.registered.slice(0, records).map((person, index) => asPatient(person, id(index)));
const entities = set.entities.slice(0, records);
const probePeople = set.registered.slice(records, records + probes).map((person) => asPatient(person, 'proposed'));
const probeEntities = set.entities.slice(records, records + probes);
set = undefined as unknown as typeof set;
console.log(`generated: ${thousands(records + probes)} records in ${seconds(started).toFixed(1)} s`);

const db = await openPostgres(url, schema, 4);
try {
  await migrate(db, patientsSubgraph.migrations);
  const [{ count: present } = { count: 0 }] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM patient');
  if (kept && present === records) {
    // The same seed and size: the same patients. Only what follows the load is measured again.
    await db.query('TRUNCATE match_review, dedupe_run');
    console.log(`kept: ${thousands(records)} patients already in ${schema}\n`);
  } else {
    if (present > 0) throw new Error(`${schema} holds ${present} patients, not ${records}: name another MATCH_SCALE_SCHEMA`);
    started = process.hrtime.bigint();
    const { keys } = await loadRegistry(db, registered, (done) => {
      if (done % 200_000 === 0) console.error(`loaded ${thousands(done)} patients, ${seconds(started).toFixed(1)} s`);
    });
    const loadSeconds = seconds(started);
    started = process.hrtime.bigint();
    // What autovacuum would have done to tables this size by the time anyone queries them.
    await db.query('VACUUM ANALYZE patient');
    await db.query('VACUUM ANALYZE patient_match_key');
    console.log(`loaded: ${thousands(records)} patients, ${thousands(keys)} match keys in ${loadSeconds.toFixed(1)} s (multi-row inserts); VACUUM ANALYZE ${seconds(started).toFixed(1)} s; load average ${load()}\n`);
  }

  // patientMatch, one request at a time: a store and scope per request, as the resolver has.
  const entityRegistered = new Set(entities);
  const match = (person: (typeof probePeople)[number]) => findMatches(new PatientStore(db, RowScope.ofCaller(frontDesk), db.background), person, { count: 10 });
  const warmUp = registered.slice(0, 50);
  // The generated values are in the database now: the deduplication's heap should not carry them.
  registered.length = 0;
  for (const person of warmUp) await match({ ...person, id: 'proposed' });
  const latencies: number[] = [];
  const found = { duplicates: 0, foundProbable: 0, foundCertain: 0, newPeople: 0, newGradedCertain: 0, newGradedProbable: 0 };
  for (const [index, person] of probePeople.entries()) {
    const at = process.hrtime.bigint();
    const matches = await match(person);
    latencies.push(seconds(at) * 1000);
    const same = (patientId: string) => entities[Number(patientId.slice(4))] === probeEntities[index];
    const predicted = matches.filter(({ grade }) => grade !== 'POSSIBLE');
    if (entityRegistered.has(probeEntities[index]!)) {
      found.duplicates++;
      if (predicted.some(({ patient }) => same(patient.id))) found.foundProbable++;
      if (predicted.some(({ patient, grade }) => grade === 'CERTAIN' && same(patient.id))) found.foundCertain++;
    } else {
      found.newPeople++;
      if (predicted.some(({ grade }) => grade === 'CERTAIN')) found.newGradedCertain++;
      else if (predicted.length > 0) found.newGradedProbable++;
    }
  }
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!.toFixed(1);
  console.log(`patientMatch (count 10, one at a time, after 50 warm-up queries): p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms over ${latencies.length} queries`);
  console.log(
    `  ${found.duplicates} probes have a registered duplicate: found certain or probable ${found.foundProbable}, certain ${found.foundCertain}; ` +
      `${found.newPeople} are new people: a certain match for ${found.newGradedCertain}, a probable one for ${found.newGradedProbable}`,
  );
  console.log(`  load average ${load()}\n`);

  started = process.hrtime.bigint();
  let reported = 0;
  const report = await dedupeRegistry(db, {
    batchSize: setting('MPI_DEDUPE_BATCH'),
    onBatch: (done) => {
      if (done - reported >= records / 10) console.error(`deduplicated ${thousands((reported = done))} patients, ${seconds(started).toFixed(1)} s`);
    },
  });
  const dedupeSeconds = seconds(started);
  console.log(`mpi:dedupe: ${thousands(report.patients)} patients in ${dedupeSeconds.toFixed(1)} s (batch ${setting('MPI_DEDUPE_BATCH')}), load average ${load()}`);
  console.log(`  candidate pairs compared: ${thousands(report.compared)}`);
  console.log(`  pairs: certain ${thousands(report.pairs.CERTAIN)}, probable ${thousands(report.pairs.PROBABLE)}, possible ${thousands(report.pairs.POSSIBLE)}`);
  console.log(`  clusters of two or more: by certain pairs ${thousands(report.clusters.certain)}, by certain or probable pairs ${thousands(report.clusters.certainOrProbable)}`);

  const reviews = await db.query<{ patient_id: string; candidate_id: string; grade: string }>('SELECT patient_id, candidate_id, grade FROM match_review');
  const entityOf = (patientId: string) => entities[Number(patientId.slice(4))];
  const truePairs = countTruePairs(entities);
  const quality = (grades: string[]) => {
    const predicted = reviews.filter(({ grade }) => grades.includes(grade));
    const correct = predicted.filter(({ patient_id, candidate_id }) => entityOf(patient_id) === entityOf(candidate_id)).length;
    return `precision ${f4(predicted.length ? correct / predicted.length : 1)}, recall ${f4(truePairs ? correct / truePairs : 1)}`;
  };
  console.log(`  against the ${thousands(truePairs)} true pairs: certain or probable ${quality(['CERTAIN', 'PROBABLE'])}; certain ${quality(['CERTAIN'])}`);
} finally {
  await db.close();
  if (!kept) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
console.log(`\nload average at end: ${load()}`);
