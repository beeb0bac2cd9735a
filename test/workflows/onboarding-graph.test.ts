// Onboardings in the graph (schema/workflows.graphql): started and read through the gateway over HTTP,
// on the embedded default, under the same authorization, minimization and audit as any field.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { CURRENT_ONBOARDING } from '../../workflows/registry.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { newPatient, patiently } from './onboarding-harness.ts';

const START = `mutation($input: StartPatientOnboardingInput!, $key: String) {
  startPatientOnboarding(input: $input, idempotencyKey: $key) { id definition status }
}`;
const ONBOARDING = `query($id: ID!) {
  onboarding(id: $id) {
    id status waitingOn startedAt finishedAt reason
    steps { name status at detail }
    patient { id name { family } }
    appointment { id }
    odooPartnerId estimate { value currency }
  }
}`;
const AUDIT_TRAIL = `query($patientId: ID!, $from: DateTime!, $to: DateTime!) {
  auditTrail(patientId: $patientId, from: $from, to: $to, first: 500) { subject operationName fieldsReturned outcome }
}`;

const input = (patient = newPatient()) => ({ patient, serviceCode: '99213', serviceType: 'general-practice' });

describe('onboardings through the gateway on the embedded default', { timeout: 120_000 }, () => {
  let system: RunningSystem;
  const as = async (request: Parameters<typeof bearerFor>[0], query: string, variables: Record<string, unknown> = {}) =>
    graphql(system.gateway.url, query, variables, await bearerFor(request));

  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, workflows: true, bundledOdoo: { version: 17 } });
  }, 120_000);
  afterAll(() => system?.close());

  /** Reads the onboarding as the front desk until `done` holds. */
  async function onboardingWhen(id: string, done: (onboarding: Record<string, any>) => boolean) {
    let seen: Record<string, any> | null = null;
    await vi.waitFor(async () => {
      const { data, errors } = await as({ role: 'front_desk' }, ONBOARDING, { id });
      expect(errors).toBeUndefined();
      seen = data!.onboarding;
      expect(seen && done(seen), JSON.stringify(seen)).toBe(true);
    }, patiently);
    return seen!;
  }

  it('lets the front desk start one and follow it until it waits on the patient, the patient resolved by the graph', async () => {
    const patient = newPatient();
    const started = await as({ role: 'front_desk' }, START, { input: input(patient) });
    expect(started.errors).toBeUndefined();
    const { id, definition, status } = started.data!.startPatientOnboarding;
    expect(definition).toBe(CURRENT_ONBOARDING);
    expect(['QUEUED', 'RUNNING']).toContain(status);

    const waiting = await onboardingWhen(id, (o) => o.waitingOn === 'PATIENT');
    expect(waiting).toMatchObject({ id, status: 'WAITING', finishedAt: null, reason: null, estimate: { value: 110, currency: 'USD' } });
    expect(waiting.patient.name.family).toBe(patient.name.family);
    expect(waiting.appointment.id).toEqual(expect.any(String));
    expect(waiting.odooPartnerId).toEqual(expect.any(Number));
    expect(waiting.steps.map((step: { name: string; status: string }) => `${step.name}:${step.status}`)).toEqual([
      'matchPatient:DONE', 'registerPatient:DONE', 'findFreeSlots:DONE', 'bookFirstAppointment:DONE', 'openFinancialAccount:DONE', 'estimatePatientShare:DONE',
    ]);
    expect(Date.parse(waiting.steps[0].at)).toBeGreaterThanOrEqual(Date.parse(waiting.startedAt));
  });

  it('answers the same onboarding to a second start with the same key, and CONFLICT to the key with another request', async () => {
    const key = randomUUID();
    const request = input();
    const first = await as({ role: 'front_desk', subject: 'desk-1' }, START, { input: request, key });
    const again = await as({ role: 'front_desk', subject: 'desk-1' }, START, { input: request, key });
    expect(first.errors).toBeUndefined();
    expect(again.data!.startPatientOnboarding.id).toBe(first.data!.startPatientOnboarding.id);
    // Another caller's same key is another key.
    const other = await as({ role: 'front_desk', subject: 'desk-2' }, START, { input: request, key });
    expect(other.data!.startPatientOnboarding.id).not.toBe(first.data!.startPatientOnboarding.id);

    const changed = await as({ role: 'front_desk', subject: 'desk-1' }, START, { input: { ...request, serviceCode: '99214' }, key });
    expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses to start or read onboardings to roles without the right', async () => {
    const { data } = await as({ role: 'front_desk' }, START, { input: input() });
    const id = data!.startPatientOnboarding.id;
    for (const role of ['clinician', 'billing_specialist', 'operations'] as const) {
      const start = await as({ role }, START, { input: input() });
      expect(start.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const read = await as({ role }, ONBOARDING, { id });
      expect(read.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      expect(read.data?.onboarding ?? null).toBeNull();
    }
  });

  it('shows a patient their own onboarding and no one else\'s; each read is on the patient\'s access record', async () => {
    const { data } = await as({ role: 'front_desk' }, START, { input: input() });
    const waiting = await onboardingWhen(data!.startPatientOnboarding.id, (o) => o.waitingOn === 'PATIENT');
    const patientId = waiting.patient.id;
    const from = new Date(Date.now() - 60_000).toISOString();

    const own = await as({ role: 'patient', patient: patientId }, ONBOARDING, { id: waiting.id });
    expect(own.errors).toBeUndefined();
    expect(own.data!.onboarding).toMatchObject({ id: waiting.id, status: 'WAITING', waitingOn: 'PATIENT', patient: { id: patientId } });
    const someoneElse = await as({ role: 'patient', patient: 'pat-0001' }, ONBOARDING, { id: waiting.id });
    expect(someoneElse.data!.onboarding).toBeNull();

    const readOnce = await as({ role: 'front_desk', subject: 'desk-audited' }, 'query Onboarding($id: ID!) { onboarding(id: $id) { id status } }', { id: waiting.id });
    expect(readOnce.errors).toBeUndefined();
    const trail = await as({ role: 'auditor' }, AUDIT_TRAIL, { patientId, from, to: new Date(Date.now() + 60_000).toISOString() });
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.auditTrail).toContainEqual(expect.objectContaining({ subject: 'desk-audited', operationName: 'Onboarding', outcome: 'ALLOWED' }));
    expect(trail.data!.auditTrail).toContainEqual(expect.objectContaining({ subject: 'demo-patient-pat-0001', outcome: 'DENIED' }));
  });

  it('answers null for an id no onboarding has', async () => {
    const { data, errors } = await as({ role: 'front_desk' }, ONBOARDING, { id: `onb-${randomUUID()}` });
    expect(errors).toBeUndefined();
    expect(data!.onboarding).toBeNull();
  });
});
