// npm run mpi:dedupe: deduplicates the whole patient registry (subgraphs/patients/dedupe.ts) and
// prints a report by grade; certain and probable pairs go to the data steward's review queue.
// Resumable: a run that stopped continues where it was; MPI_DEDUPE_RESTART=1 starts afresh.
// The patients database from DATABASE_URL (or PGLITE_DATA_DIR with the system stopped) and
// PATIENTS_SCHEMA (default patients). Prints counts and ids only, never patient data.
import { checkSettings, setting } from '../platform/config.ts';
import { migrate } from '../platform/database/migrations.ts';
import { databaseSettingsFromEnv, openDatabase } from '../platform/database/open.ts';
import { dedupeRegistry } from '../subgraphs/patients/dedupe.ts';
import { patientsSubgraph } from '../subgraphs/patients/subgraph.ts';

checkSettings('mpi:dedupe');
const db = await openDatabase(databaseSettingsFromEnv(setting('PATIENTS_SCHEMA')));
try {
  await migrate(db, patientsSubgraph.migrations);
  const started = Date.now();
  const report = await dedupeRegistry(db, {
    batchSize: setting('MPI_DEDUPE_BATCH'),
    restart: setting('MPI_DEDUPE_RESTART'),
    onBatch: (done) => console.error(`${done} patients`),
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`run ${report.runId}${report.resumed ? ' (resumed)' : ''}: ${report.patients} patients in ${seconds.toFixed(1)} s`);
  console.log(`candidate pairs compared: ${report.compared}`);
  console.log(`pairs: certain ${report.pairs.CERTAIN}, probable ${report.pairs.PROBABLE}, possible ${report.pairs.POSSIBLE}`);
  console.log(`clusters of two or more: by certain pairs ${report.clusters.certain}, by certain or probable pairs ${report.clusters.certainOrProbable}`);
} catch (error) {
  console.error(`could not deduplicate: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await db.close();
}
