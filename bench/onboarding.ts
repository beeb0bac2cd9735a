// `npm run bench:onboarding`: onboardings on two workflow replicas sharing one PostgreSQL. The system
// (gateway, subgraphs on PostgreSQL in schemas of this run's own, the bundled Odoo 17) runs in this
// process; the two replicas are child processes taking from the one queue. BENCH_ONBOARDINGS (100)
// onboardings are enqueued at once, with nothing for the front office to do (people the registry
// does not know, self-pay) and the patient's consent given through the graph as soon as the patient
// is registered. It prints onboardings per second, p50/p99 durations, what each replica
// ran, and checks from the data that every onboarding finished once with one patient, one booking
// and one Odoo partner, and that no step ran twice. A failed check exits 1. Schemas are dropped after.
import { DBOS, DBOSClient, type WorkflowStatus } from '@dbos-inc/dbos-sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startSystem, type RunningSystem } from '../launcher.ts';
import { setting } from '../platform/config.ts';
import { ANNOUNCE_STEP } from '../workflows/onboarding/announce.ts';
import { defaultTiming, type OnboardingRequest } from '../workflows/onboarding/request.ts';
import { STATE_EVENT, type OnboardingState } from '../workflows/onboarding/state.ts';
import { CURRENT_ONBOARDING, ONBOARDING_QUEUE } from '../workflows/registry.ts';
import { dropSchemas, postgresUrl, uniqueName } from '../test/support/databases.ts';
import { graphql } from '../test/support/graphql.ts';
import { bearerFor } from '../test/support/tokens.ts';
import { isLook, runCounts, startReplica, type FinishedRun, type Replica, type StepRun } from '../test/workflows/replicas.ts';

const count = setting('BENCH_ONBOARDINGS');
const concurrency = setting('WORKFLOWS_CONCURRENCY');
const REPLICAS = ['replica-1', 'replica-2'];
const limitMs = 120_000 + count * 3_000;

const GIVEN = ['Ada', 'Bram', 'Cleo', 'Dario', 'Edith', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kaja', 'Lorenz', 'Mira', 'Nils', 'Oona', 'Pavel', 'Rhea', 'Sven', 'Tilda', 'Umar'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'bo', 'di', 'fa', 'gu', 'he', 'ji', 'pu'];

/** A person the registry does not know: a family name of random syllables, a birth date no other onboarding of the run has. */
function newPerson(i: number): OnboardingRequest['patient'] {
  const family = Array.from({ length: 4 }, () => SYLLABLES[Math.floor(Math.random() * SYLLABLES.length)]).join('');
  const birthDate = new Date(Date.UTC(1940, 0, 1) + i * 173 * 86_400_000).toISOString().slice(0, 10);
  return { name: { family: family[0]!.toUpperCase() + family.slice(1), given: [GIVEN[i % GIVEN.length]!] }, birthDate, gender: i % 2 ? 'MALE' : 'FEMALE' };
}

/**
 * Self-pay: the simulated payer denies a quarter of patients by a hash of the payer, the patient
 * id and the code, and a patient id is known only once registered; a denial is a front-office task.
 */
const request = (i: number): OnboardingRequest => ({
  patient: newPerson(i),
  serviceCode: '99213',
  serviceType: 'general-practice',
  // Polls every half second: a consent given after the workflow first looked is seen quickly.
  timing: { ...defaultTiming, pollSeconds: 0.5 },
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type StepInfo = NonNullable<Awaited<ReturnType<DBOSClient['listWorkflowSteps']>>>[number];

/** The time between the first look for consent (none yet) and the look that found it: the patient's, not the workflow's. */
function consentWaitMs(steps: StepInfo[]): number {
  const looks = steps.filter((step) => step.name === 'lookForConsent');
  if (looks.length < 2) return 0;
  return (looks.at(-1)!.startedAtEpochMs ?? 0) - (looks[0]!.completedAtEpochMs ?? 0);
}

async function run(system: RunningSystem, client: DBOSClient, env: Record<string, string>, failures: string[]): Promise<void> {
  const call = async (role: Parameters<typeof bearerFor>[0], query: string, variables: Record<string, unknown>) => {
    const { data, errors } = await graphql(system.gateway.url, query, variables, await bearerFor(role, env.DATA_DIR));
    if (errors) throw new Error(`${query.slice(0, 40)}: ${errors.map((error) => error.extensions?.code).join(', ')}`);
    return data!;
  };

  // The patient consents in the portal as soon as they are registered (ids only in the event).
  const consents: Array<Promise<unknown>> = [];
  const subscription = system.eventLog.subscribe(await system.eventLog.lastId(), ({ event }) => {
    if (event.type !== 'org.healthgraph.patient.registered.v1') return;
    const { patientId } = event.data as { patientId: string };
    consents.push(
      call({ role: 'patient', patient: patientId }, 'mutation($id: ID!) { recordConsent(patientId: $id, input: { category: TREATMENT, decision: PERMIT, start: "2026-01-01" }) { id } }', { id: patientId }).catch(
        (error: Error) => failures.push(`consent not recorded: ${error.message}`),
      ),
    );
  });

  const runs: StepRun[] = [];
  const finishes: FinishedRun[] = [];
  const replicas: Replica[] = REPLICAS.map((name) => startReplica(name, env, runs, finishes));
  try {
    await Promise.all(replicas.map(({ ready }) => ready));
    console.log(`two replicas ready (${concurrency} onboardings at once each); enqueueing ${count} onboardings on ${CURRENT_ONBOARDING}\n`);

    const runTag = uniqueName('bench');
    const ids = Array.from({ length: count }, (_, i) => `onb-${runTag}-${i}`);
    const requests = ids.map((_, i) => request(i));
    const enqueuedAt = Date.now();
    await Promise.all(ids.map((id, i) => client.enqueue({ queueName: ONBOARDING_QUEUE, workflowName: CURRENT_ONBOARDING, workflowID: id }, requests[i])));

    let statuses: WorkflowStatus[] = [];
    for (;;) {
      statuses = await client.listWorkflows({ workflowIDs: ids });
      if (statuses.length === count && statuses.every((status) => !['ENQUEUED', 'PENDING'].includes(status.status))) break;
      if (Date.now() - enqueuedAt > limitMs - 60_000) {
        failures.push(`${statuses.filter((status) => ['ENQUEUED', 'PENDING'].includes(status.status)).length} onboardings not finished in time`);
        break;
      }
      await delay(250);
    }
    const lastCompleted = Math.max(...statuses.map((status) => status.completedAt ?? status.updatedAt ?? 0));
    await Promise.all(consents);

    const states = new Map(await Promise.all(ids.map(async (id) => [id, await client.getEvent<OnboardingState>(id, STATE_EVENT, 0)] as const)));
    const stepsOf = new Map(await Promise.all(ids.map(async (id) => [id, (await client.listWorkflowSteps(id)) ?? []] as const)));

    // Figures.
    const durations: number[] = [];
    const consentWaits: number[] = [];
    for (const status of statuses) {
      if (states.get(status.workflowID)?.status !== 'COMPLETED' || !status.dequeuedAt || !status.completedAt) continue;
      const wait = consentWaitMs(stepsOf.get(status.workflowID)!);
      if (wait > 0) consentWaits.push(wait);
      durations.push(status.completedAt - status.dequeuedAt - wait);
    }
    durations.sort((a, b) => a - b);
    const byReplica = new Map(REPLICAS.map((name) => [name, statuses.filter((status) => status.executorId === name).length]));
    console.log(`onboardings: ${count}, completed: ${[...states.values()].filter((state) => state?.status === 'COMPLETED').length}`);
    console.log(`wall time (first enqueued → last COMPLETED): ${seconds(lastCompleted - enqueuedAt)}`);
    console.log(`throughput: ${((count * 1000) / (lastCompleted - enqueuedAt)).toFixed(2)} onboardings/s`);
    if (durations.length > 0) {
      console.log(`duration p50: ${seconds(percentile(durations, 50))}, p99: ${seconds(percentile(durations, 99))}, max: ${seconds(durations.at(-1)!)}`);
    }
    console.log(
      '  duration: from a replica taking the onboarding off the queue to COMPLETED, every step included (the graph calls through the gateway,\n' +
        '  Odoo, the engine\'s checkpoints, a step\'s retries with backoff after RATE_LIMITED);\n' +
        '  not included: the time on the queue, and the wait for the patient\'s consent (from the first look\n' +
        `  that found none to the look that found it: ${consentWaits.length} onboarding(s) waited, p50 ${consentWaits.length ? seconds(consentWaits.sort((a, b) => a - b)[Math.floor(consentWaits.length / 2)]!) : '-'})`,
    );
    console.log(`runs per replica: ${[...byReplica].map(([name, ran]) => `${name} ${ran}`).join(', ')}`);

    // Checks.
    const check = (ok: boolean, what: string) => {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
      if (!ok) failures.push(what);
    };
    check(statuses.length === count && statuses.every((status) => status.status === 'SUCCESS'), 'every onboarding finished, as the engine records (SUCCESS)');
    check(ids.every((id) => states.get(id)?.status === 'COMPLETED'), 'every onboarding ended COMPLETED');
    for (const [id, state] of states) {
      if (state?.status !== 'COMPLETED') console.log(`     ${id}: ${state?.status} ${state?.waitingOn ?? ''} after ${state?.steps.map((step) => `${step.name}:${step.detail ?? step.status}`).join(' ')}`);
    }
    const finishedCount = (id: string) => finishes.filter((finish) => finish.workflowId === id).length;
    check(ids.every((id) => finishedCount(id) === 1), 'every onboarding finished exactly once (one "onboarding finished" across both replicas)');
    // With no more onboardings than one replica runs at once, the first to look may take them all.
    if (count > concurrency) check([...byReplica.values()].every((ran) => ran > 0), 'both replicas ran onboardings');

    const counts = runCounts(runs.filter((run) => !isLook(run.step)));
    check([...counts.values()].every((times) => times === 1), 'no step ran twice (each step run logged once across both replicas; the looks for consent excepted, they repeat by design)');
    // The engine's own records of the graph steps (not its sends, sleeps and child workflows, nor the
    // announcements, which call no graph and log no run: these replicas have no outbox, and an
    // announcement is once by its event id, see workflows/onboarding/announce.ts), name by name.
    const tally = (names: string[]) => [...names].sort().join(',');
    const isGraphStep = (step: StepInfo) => step.childWorkflowID === null && !step.name.startsWith('DBOS.') && step.name !== ANNOUNCE_STEP;
    const unrecorded = ids.filter((id) => {
      const recorded = stepsOf.get(id)!.filter(isGraphStep).map((step) => step.name);
      return tally(recorded) !== tally(runs.filter((run) => run.workflowId === id).map((run) => run.step));
    });
    check(unrecorded.length === 0, `every step run is one step record of the engine, and every record one run${unrecorded.length ? ` (not so for ${unrecorded.join(', ')})` : ''}`);

    const oneEach = await Promise.all(
      ids.map(async (id, i) => {
        const state = states.get(id);
        if (!state?.patientId) return false;
        const { patients } = await call({ role: 'front_desk' }, 'query($family: String!) { patients(search: { name: $family }) { edges { node { id } } } }', { family: requests[i]!.patient.name.family });
        const { patient } = await call({ role: 'front_desk' }, 'query($id: ID!) { patient(id: $id) { appointments { id status } } }', { id: state.patientId });
        const partners = await system.odoo.searchRead('res.partner', [['ref', '=', state.patientId], ['active', 'in', [true, false]]], { fields: ['id'] });
        return (
          patients.edges.length === 1 &&
          patients.edges[0].node.id === state.patientId &&
          patient.appointments.length === 1 &&
          patient.appointments[0].id === state.appointmentId &&
          partners.length === 1 &&
          partners[0]!.id === state.odooPartnerId
        );
      }),
    );
    check(oneEach.every(Boolean), 'exactly one patient, one booked appointment and one Odoo partner per onboarding');
  } finally {
    subscription.close();
    for (const { child } of replicas) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(replicas.map(({ exited }) => exited));
  }
}

const started = Date.now();
// Bounded whatever happens: the replicas end with this process.
setTimeout(() => {
  console.error(`onboarding benchmark: over its ${limitMs / 1000} s limit, stopping`);
  process.exit(1);
}, limitMs).unref();

console.log(`load average at start: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
const dataDir = mkdtempSync(join(tmpdir(), 'hg-bench-onboarding-'));
const schemaPrefix = `${uniqueName('bench_onb')}_`;
const workflowsSchema = `${schemaPrefix}workflows`;
const failures: string[] = [];
let system: RunningSystem | undefined;
let client: DBOSClient | undefined;
try {
  system = await startSystem({ gatewayPort: 0, databaseUrl: postgresUrl, schemaPrefix, dataDir, seedDemoData: true, bundledOdoo: { version: 17 } });
  // As a deployment does before its replicas start.
  await DBOS.migrate(postgresUrl, { schemaName: workflowsSchema });
  client = await DBOSClient.create({ systemDatabaseUrl: postgresUrl, systemDatabaseSchemaName: workflowsSchema });
  const env = { WORKFLOWS_DATABASE_URL: postgresUrl, WORKFLOWS_SCHEMA: workflowsSchema, GATEWAY_URL: system.gateway.url, DATA_DIR: dataDir, WORKFLOWS_CONCURRENCY: String(concurrency), LOG_LEVEL: 'debug' };
  await run(system, client, env, failures);
} catch (error) {
  failures.push(`the run stopped: ${(error as Error).message}`);
} finally {
  await client?.destroy();
  await system?.close();
  await dropSchemas(postgresUrl, workflowsSchema, ...(system ? Object.values(system.subgraphs).map((subgraph) => subgraph.database.schema) : []));
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`load average at end: ${loadavg().map((value) => value.toFixed(2)).join(' ')} (${seconds(Date.now() - started)} in all)`);
if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed:\n${failures.map((failure) => `- ${failure}`).join('\n')}`);
  process.exit(1);
}
process.exit(0);
