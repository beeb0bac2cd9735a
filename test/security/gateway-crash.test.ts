// Issue 11, finding 6 (b): a gateway killed under load had served patient reads it never recorded
// (1,430 served, 1,422 recorded). Here the gateway is its own process, its audit trail in
// PostgreSQL; it is killed with SIGKILL while patient reads with unique request ids are in flight.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInternalSigningKey } from '../../gateway/authentication/internal-token.ts';
import type { Database } from '../../platform/database/database.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { subgraphCatalog } from '../../schema/catalog.ts';
import { seedPatients } from '../../subgraphs/patients/demo-seed.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';
import { accessRecordsOf } from '../support/access-records.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { newRequestId } from './harness.ts';

const CHART = 'query Chart($id: ID!) { patient(id: $id) { id name { text } birthDate } }';
/** Readers in flight at once, how many reads are answered with data before each kill, and how many kills. */
const CONCURRENCY = 16;
const SERVED_BEFORE_KILL = 200;
// One kill may land just after the writer flushed; three make a lost record near certain on a gateway that answers first.
const ROUNDS = 3;

type Outcome = 'served' | 'refused' | 'no answer';

describe('finding 6: a gateway killed under load has recorded every patient read it served', () => {
  const auditSchema = uniqueName('crash_audit');
  let dataDir: string;
  let patients: RunningSubgraph;
  let gatewayEnv: Record<string, string>;
  let gateway: GatewayProcess | undefined;
  let trail: Database | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-crash-'));
    // The gateway process signs internal tokens with the key of this directory; the subgraph trusts it.
    const internalKey = await loadInternalSigningKey(dataDir);
    patients = await startSubgraph(patientsSubgraph, { port: 0, database: { schema: 'patients' }, gatewayPublicKey: internalKey.publicJwk });
    await seedPatients(patients.database, { count: 50, payerIds: ['pay-01'] });
    // Only the patients subgraph is needed; the others point where nobody listens.
    const subgraphUrls = Object.fromEntries(
      subgraphCatalog.map(({ name }) => [`SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`, name === 'patients' ? patients.url : 'http://127.0.0.1:1/graphql']),
    );
    gatewayEnv = { ...subgraphUrls, RUN_MODE: 'embedded', DATA_DIR: dataDir, DATABASE_URL: postgresUrl, AUDIT_SCHEMA: auditSchema, REDIS_URL: '' };
  });
  afterAll(async () => {
    if (gateway && gateway.process.exitCode === null && gateway.process.signalCode === null) {
      gateway.process.kill('SIGKILL');
      await once(gateway.process, 'exit');
    }
    await trail?.close();
    await patients?.close();
    await dropSchemas(postgresUrl, auditSchema);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Starts a gateway, reads patients through it from CONCURRENCY callers, and kills it with SIGKILL once SERVED_BEFORE_KILL reads were answered with data. */
  async function killUnderLoad(round: number, outcomes: Map<string, Outcome>): Promise<void> {
    gateway = await spawnGateway(gatewayEnv);
    const { url } = gateway;
    const patientIds = (await patients.database.query<{ id: string }>('SELECT id FROM patient ORDER BY id')).map((row) => row.id);
    const tokens = await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => bearerFor({ role: 'clinician', subject: `crash-reader-${round}-${n}` }, dataDir)));
    let served = 0;
    let killed = false;
    let markKillTime!: () => void;
    const killTime = new Promise<void>((resolve) => (markKillTime = resolve));

    const reader = async (n: number) => {
      for (let i = n; !killed; i += CONCURRENCY) {
        const requestId = newRequestId();
        outcomes.set(requestId, 'no answer');
        try {
          const answer = await graphql(url, CHART, { id: patientIds[i % patientIds.length] }, { ...tokens[n]!, 'x-request-id': requestId });
          outcomes.set(requestId, answer.data?.patient ? 'served' : 'refused');
          if (answer.data?.patient && ++served === SERVED_BEFORE_KILL) markKillTime();
        } catch {
          return; // the gateway is gone
        }
      }
    };
    const readers = Array.from({ length: CONCURRENCY }, (_, n) => reader(n));
    await killTime;
    killed = true;
    gateway.process.kill('SIGKILL');
    await once(gateway.process, 'exit');
    await Promise.all(readers);
  }

  it('kill -9 under load, three times: every request id that received patient data has its access record, and no refused read is recorded as allowed', async () => {
    const outcomes = new Map<string, Outcome>();
    for (let round = 1; round <= ROUNDS; round++) await killUnderLoad(round, outcomes);

    trail = await openDatabase({ url: postgresUrl, schema: auditSchema });
    const records = await accessRecordsOf(trail, [...outcomes.keys()]);
    const withOutcome = (outcome: Outcome) => [...outcomes].filter(([, got]) => got === outcome).map(([requestId]) => requestId);
    const missing = withOutcome('served').filter((requestId) => records.get(requestId)!.length === 0);
    const refusedAllowed = withOutcome('refused').filter((requestId) => records.get(requestId)!.some((record) => record.outcome === 'allowed'));
    const unansweredAllowed = withOutcome('no answer').filter((requestId) => records.get(requestId)!.some((record) => record.outcome === 'allowed'));
    console.log(
      `gateway killed under load ${ROUNDS} times: ${withOutcome('served').length} reads served with patient data, ${withOutcome('served').length - missing.length} recorded, ` +
        `${missing.length} missing; ${withOutcome('refused').length} refused, ${refusedAllowed.length} of them recorded as allowed; ` +
        `${withOutcome('no answer').length} without an answer, ${unansweredAllowed.length} of them recorded as allowed`,
    );
    expect(withOutcome('served').length).toBeGreaterThanOrEqual(ROUNDS * SERVED_BEFORE_KILL);
    expect(missing).toEqual([]);
    expect(refusedAllowed).toEqual([]);
  }, 240_000);
});
