import { DBOS, DBOSClient } from '@dbos-inc/dbos-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { setting } from '../../platform/config.ts';
import { defaultTiming, type OnboardingRequest } from '../../workflows/onboarding/request.ts';
import { STATE_EVENT, type OnboardingState } from '../../workflows/onboarding/state.ts';
import { CURRENT_ONBOARDING, ONBOARDING_QUEUE } from '../../workflows/registry.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { callersOf, completeInOdoo, giveConsent, newPatient, onboardingRequest, partnerOf, stateWhen } from './onboarding-harness.ts';
import { isLook, runCounts, startHoldingProxy, startReplica, type Replica, type StepRun } from './replicas.ts';

const APPOINTMENTS_OF = 'query($id: ID!) { patient(id: $id) { appointments { id status } } }';
const SAME_NAME = 'query($family: String!) { patients(search: { name: $family }) { edges { node { id } } } }';
const REGISTER = 'mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }';

/**
 * Workflow replicas in child processes on one PostgreSQL, the rest of the system (gateway,
 * subgraphs, bundled Odoo) in the test's process: a replica can be killed -9 and the graph stays.
 */
describe('onboarding replicas on PostgreSQL', { timeout: 300_000 }, () => {
  let system: RunningSystem;
  let client: DBOSClient;
  const schema = uniqueName('workflows');
  // The system's keys (the tests' DATA_DIR, see test/support/isolated-environment.ts): the replicas sign with the same issuer.
  const dataDir = setting('DATA_DIR');
  const replicas: Replica[] = [];
  let call: ReturnType<typeof callersOf>;

  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, bundledOdoo: { version: 17 } });
    call = callersOf(system);
    // As a deployment does before its replicas start.
    await DBOS.migrate(postgresUrl, { schemaName: schema });
    client = await DBOSClient.create({ systemDatabaseUrl: postgresUrl, systemDatabaseSchemaName: schema });
  }, 120_000);
  /**
   * A test's replicas end with it. They all take from the one queue: a replica left running would
   * take the next test's onboardings too, and call the gateway at its own test's URL (the kill -9
   * test's holding proxy, closed by then: every step it took failed with a refused connection).
   */
  async function stopReplicas(): Promise<void> {
    const running = replicas.splice(0);
    // One stopped before it was ready is not a failure of its own (the test has failed already).
    for (const { ready } of running) ready.catch(() => {});
    for (const { child } of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(running.map(({ exited }) => exited));
  }
  afterEach(stopReplicas);
  afterAll(async () => {
    await stopReplicas();
    await client?.destroy();
    await system?.close();
    await dropSchemas(postgresUrl, schema);
  });

  function replica(name: string, gatewayUrl: string, runs: StepRun[], concurrency = 10): Replica {
    const started = startReplica(
      name,
      { WORKFLOWS_DATABASE_URL: postgresUrl, WORKFLOWS_SCHEMA: schema, GATEWAY_URL: gatewayUrl, DATA_DIR: dataDir, WORKFLOWS_CONCURRENCY: String(concurrency) },
      runs,
    );
    replicas.push(started);
    return started;
  }

  async function enqueue(request: ReturnType<typeof onboardingRequest>, id: string): Promise<string> {
    const full: OnboardingRequest = { ...request, timing: { ...defaultTiming, ...request.timing } };
    await client.enqueue({ queueName: ONBOARDING_QUEUE, workflowName: CURRENT_ONBOARDING, workflowID: id }, full);
    return id;
  }
  const state = (id: string) => () => client.getEvent<OnboardingState>(id, STATE_EVENT, 0);

  async function killed(target: Replica): Promise<void> {
    target.child.kill('SIGKILL');
    await target.exited;
  }

  it('resumes after kill -9 in the middle of a step from the last completed step: every effect happens once', async () => {
    const runs: StepRun[] = [];
    const proxy = await startHoldingProxy(system.gateway.url, ['openFrontOfficeTask', 'bookAppointment']);
    try {
      const patient = newPatient();
      const duplicate = (await call({ role: 'front_desk' }, REGISTER, { input: patient })).registerPatient.id as string;
      const id = await enqueue(onboardingRequest({ patient }), `onb-kill-${schema}`);

      // Killed while giving the front office its task: Odoo has the activity, the replica never heard.
      const first = replica('replica-a', proxy.url, runs);
      await first.ready;
      await proxy.held('openFrontOfficeTask');
      await killed(first);

      const second = replica('replica-a', proxy.url, runs);
      const waiting = await stateWhen(state(id), (s) => s.waitingOn === 'FRONT_OFFICE');
      // The task is on the account of the registered patient this one may duplicate.
      const partner = await partnerOf(system.odoo, duplicate);
      expect(await system.odoo.searchRead('mail.activity', [['res_id', '=', partner!.id]], { fields: ['id'] })).toEqual([{ id: waiting.odooActivityIds[0] }]);
      await completeInOdoo(system, waiting.odooActivityIds[0]!, 'DISTINCT');

      // Killed while booking: the appointment is booked, the replica never heard.
      await proxy.held('bookAppointment');
      await killed(second);
      replica('replica-a', proxy.url, runs);
      const consenting = await stateWhen(state(id), (s) => s.waitingOn === 'PATIENT');
      await giveConsent(system, consenting.patientId!);
      const done = await stateWhen(state(id), (s) => s.status === 'COMPLETED');

      const { patients } = await call({ role: 'front_desk' }, SAME_NAME, { family: patient.name.family });
      expect(patients.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual([duplicate, done.patientId].sort());
      expect((await call({ role: 'front_desk' }, APPOINTMENTS_OF, { id: done.patientId })).patient.appointments).toEqual([{ id: done.appointmentId, status: 'BOOKED' }]);
      expect(await system.odoo.searchRead('res.partner', [['ref', '=', done.patientId], ['active', 'in', [true, false]]], { fields: ['id'] })).toHaveLength(1);

      // Every completed step ran once; only the two cut short ran again.
      const counts = runCounts(runs.filter((run) => !isLook(run.step)));
      expect([...counts].filter(([, count]) => count > 1)).toEqual([[`${id} resolveProbableDuplicate`, 2], [`${id} bookFirstAppointment`, 2]]);
    } finally {
      await proxy.close();
    }
  });

  it('runs onboardings on two replicas at once: each finishes once, no step runs twice', async () => {
    const runs: StepRun[] = [];
    // Five at once each: an onboarding waiting for consent holds its place, so the ten reach that
    // wait only if each replica takes five (with ten places one replica may take them all).
    const [a, b] = [replica('replica-b1', system.gateway.url, runs, 5), replica('replica-b2', system.gateway.url, runs, 5)];
    await Promise.all([a.ready, b.ready]);
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => enqueue(onboardingRequest(), `onb-pair-${i}-${schema}`)));
    const waiting = await Promise.all(ids.map((id) => stateWhen(state(id), (s) => s.waitingOn === 'PATIENT')));
    await Promise.all(waiting.map((s) => giveConsent(system, s.patientId!)));
    await Promise.all(ids.map((id) => stateWhen(state(id), (s) => s.status === 'COMPLETED')));

    const counts = runCounts(runs.filter((run) => !isLook(run.step)));
    expect([...counts].filter(([, count]) => count > 1)).toEqual([]);
    for (const id of ids) expect(counts.get(`${id} registerPatient`)).toBe(1);
    const statuses = await Promise.all(ids.map((id) => client.getWorkflow(id)));
    expect(statuses.map((status) => status?.status)).toEqual(ids.map(() => 'SUCCESS'));
    // Both took part: the queue hands each onboarding to one of them.
    expect(new Set(runs.map((run) => run.replica))).toEqual(new Set(['replica-b1', 'replica-b2']));
  });
});
