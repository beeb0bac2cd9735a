import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { graphql, codesOf } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

const PATIENT_OVERVIEW = /* GraphQL */ `
  query PatientOverview($id: ID!) {
    patient(id: $id) {
      id
      mrn
      name { text }
      appointments { id status start practitioner { name { text } } charges { code amount { value currency } } }
      invoices { balance { value } }
      balance { value currency }
    }
  }
`;

describe('the federated graph on the embedded defaults', () => {
  let system: RunningSystem;
  let frontDesk: Record<string, string>;

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
    frontDesk = await bearerFor({ role: 'front_desk' });
  });
  afterAll(() => system?.close());

  it('answers one query across patients, appointments and billing on the seeded data', async () => {
    const { data, errors } = await graphql(system.gateway.url, PATIENT_OVERVIEW, { id: 'pat-0001' }, frontDesk);
    expect(errors).toBeUndefined();
    const patient = data!.patient;
    expect(patient.mrn).toMatch(/^MRN\d+$/);
    expect(patient.appointments.length).toBeGreaterThan(0);
    for (const appointment of patient.appointments) expect(appointment.practitioner.name.text).toMatch(/\w+ \w+/);
    const fulfilled = patient.appointments.filter((appointment: { status: string }) => appointment.status === 'FULFILLED');
    for (const appointment of fulfilled) expect(appointment.charges.length).toBeGreaterThan(0);
    const owed = patient.invoices.reduce((sum: number, invoice: { balance: { value: number } }) => sum + invoice.balance.value, 0);
    expect(patient.balance.value).toBeCloseTo(owed, 2);
  });

  it('answers null for an unknown patient', async () => {
    const { data, errors } = await graphql(system.gateway.url, PATIENT_OVERVIEW, { id: 'pat-9999' }, frontDesk);
    expect(errors).toBeUndefined();
    expect(data!.patient).toBeNull();
  });

  it('rejects invalid variables with BAD_USER_INPUT and calls nothing', async () => {
    const response = await graphql(system.gateway.url, PATIENT_OVERVIEW, { id: { not: 'an id' } }, frontDesk);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('has health and readiness on every service, and echoes the request id', async () => {
    for (const url of [system.gateway.url, ...Object.values(system.subgraphs).map((subgraph) => subgraph.url)]) {
      expect((await fetch(new URL('/health', url))).status).toBe(200);
      expect((await fetch(new URL('/ready', url))).status).toBe(200);
    }
    const response = await graphql(system.gateway.url, '{ __typename }', undefined, { 'x-request-id': 'req-test-42' });
    expect(response.headers.get('x-request-id')).toBe('req-test-42');
  });

  it('answers UPSTREAM_UNAVAILABLE at the path of each field a subgraph that is down leaves null, keeps the rest, and reports degraded naming it', async () => {
    await system.subgraphs.billing.http.close();
    const { data, errors } = await graphql(system.gateway.url, PATIENT_OVERVIEW, { id: 'pat-0001' }, frontDesk);
    expect(data?.patient?.mrn).toMatch(/^MRN/);
    expect(errors?.length).toBeGreaterThan(0);
    for (const error of errors!) {
      expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.extensions?.service).toBe('billing');
      expect(error.message).toBe('The billing service is unavailable');
      expect(JSON.stringify(error)).not.toMatch(/ECONNREFUSED|stack|127\.0\.0\.1/);
    }
    // Billing's fields on the patient, and on each of the patient's appointments.
    const paths = errors!.map((error) => (error.path ?? []).join('.'));
    expect(paths).toEqual(expect.arrayContaining(['patient.invoices', 'patient.balance', 'patient.appointments.0.charges']));
    expect(paths.every((path) => /^patient\.(invoices|balance|appointments\.\d+\.charges)$/.test(path))).toBe(true);
    const ready = await fetch(new URL('/ready', system.gateway.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', service: 'gateway', notReady: ['billing'] });
  });
});
