// Issue 12: a service whose database goes away answers 503 on /ready, naming it, and
// UPSTREAM_UNAVAILABLE to callers; once the database is back it recovers on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';
import { seedPatients } from '../../subgraphs/patients/demo-seed.ts';
import { adminCaller, gatewayStandIn, type GatewayStandIn } from '../support/gateway-stand-in.ts';
import { codesOf, graphql } from '../support/graphql.ts';
import { createOwnDatabase, timeUntil, type OwnDatabase } from '../support/own-database.ts';

/** Once the database accepts connections again, the service is ready within this bound. */
const RECOVERY_BOUND_MS = 10_000;
const PATIENT = 'query ($id: ID!) { patient(id: $id) { id } }';

describe('a subgraph whose database is gone', () => {
  let own: OwnDatabase;
  let gateway: GatewayStandIn;
  let patients: RunningSubgraph;

  beforeAll(async () => {
    own = await createOwnDatabase('faults_gone');
    gateway = await gatewayStandIn();
    patients = await startSubgraph(patientsSubgraph, { port: 0, database: { url: own.url, schema: 'patients' }, gatewayPublicKey: gateway.publicKey });
    await seedPatients(patients.database, { count: 3, payerIds: ['pay-01'] });
  });
  afterAll(async () => {
    await own?.allowConnections(true);
    await patients?.close();
    await own?.drop();
  });

  const readiness = async () => {
    const response = await fetch(`${patients.http.url}/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; notReady: string[] } };
  };

  it('answers 503 naming the database and UPSTREAM_UNAVAILABLE meanwhile, then recovers by itself', async () => {
    const [{ id }] = (await patients.database.query<{ id: string }>('SELECT id FROM patient ORDER BY id LIMIT 1')) as [{ id: string }];
    const headers = await gateway.headersFor(adminCaller);
    expect((await readiness()).status).toBe(200);

    await own.allowConnections(false);
    await own.terminateBackends();
    expect(await readiness()).toMatchObject({ status: 503, body: { status: 'not ready', notReady: ['database'] } });
    const meanwhile = await graphql(patients.url, PATIENT, { id }, headers);
    expect(codesOf(meanwhile)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(JSON.stringify(meanwhile.errors)).not.toMatch(/database "|ALLOW_CONNECTIONS|57P|127\.0\.0\.1/);

    await own.allowConnections(true);
    const recoveredAfter = await timeUntil(async () => {
      if ((await readiness()).status !== 200) throw new Error('not ready yet');
    }, RECOVERY_BOUND_MS);
    console.log(`database back: ready again after ${Math.round(recoveredAfter)} ms`);
    const after = await graphql(patients.url, PATIENT, { id }, headers);
    expect(after.errors).toBeUndefined();
    expect(after.data?.patient?.id).toBe(id);
  });
});
