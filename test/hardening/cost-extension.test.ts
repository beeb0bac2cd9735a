import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { clientTiers } from '../../policies/client-tiers.ts';
import { minimumCharge } from '../../policies/quotas.ts';
import { dropSystemSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

/*
 * The demand-control rules gateway/cost implements (Apollo Router's): an object field costs 1, a scalar or enum 0,
 * unless @cost says otherwise; a list multiplies what is below it by its slicing argument, else its @listSize
 * assumedSize, else 10; an input object argument costs 1 plus its fields, a list argument its items; a mutation
 * costs 10 before its fields. The actual cost counts what came back by the same weights, arguments once.
 */

const PATIENT_OVERVIEW = /* GraphQL */ `
  query PatientOverview($id: ID!) {
    patient(id: $id) { id mrn name { text }
      appointments { id status start practitioner { name { text } } charges { code amount { value currency } } }
      invoices { balance { value } }
      balance { value currency }
    }
  }
`;
/*
 * patient: Patient 1 + name: HumanName 1 + balance: Money 1                                          =   3
 * appointments: @listSize(assumedSize: 20) x (Appointment 1 + practitioner 1 + its name 1
 *   + charges: @listSize(assumedSize: 5) x (Charge 1 + amount: Money 1) = 10)           = 20 x 13 = 260
 * invoices: @listSize(assumedSize: 10) x (Invoice 1 + balance: Money 1)                  = 10 x 2  =  20
 * $id: ID, a scalar argument                                                                        =   0
 *                                                                                                    = 283
 */
const PATIENT_OVERVIEW_COST = 283;

const PATIENT_SEARCH = /* GraphQL */ `
  query PatientSearch($name: String!) {
    patients(search: { name: $name }, first: 5) { edges { cursor node { id name { text } birthDate } } pageInfo { hasNextPage } }
  }
`;
/*
 * patients: PatientConnection 1; @listSize(slicingArguments: ["first"], sizedFields: ["edges"]) sizes edges by first: 5
 * edges: 5 x (PatientEdge 1 + node: Patient 1 + name: HumanName 1) = 15; pageInfo: PageInfo 1
 * search: PatientSearch, an input object 1 (name: String 0); first: Int 0
 * 1 + 15 + 1 + 1 = 18
 */
const PATIENT_SEARCH_COST = 18;

const REGISTER_PATIENT = /* GraphQL */ `
  mutation RegisterPatient($input: RegisterPatientInput!, $key: String) {
    registerPatient(input: $input, idempotencyKey: $key) { id mrn name { text } }
  }
`;
/*
 * mutation 10; registerPatient: Patient 1 + name: HumanName 1 = 2
 * input: RegisterPatientInput 1 + name: HumanNameInput 1 (given: [String] 0) + telecom: 2 x ContactPointInput 1 = 4
 * 10 + 2 + 4 = 16, and the same once it ran: the mutation pays its 10, the patient and name came back
 */
const REGISTER_PATIENT_COST = 16;

type Overview = {
  patient: {
    appointments: Array<{ charges: unknown[] | null }>;
    invoices: unknown[] | null;
    balance: unknown;
  };
};

/** What PatientOverview returned, by the same weights: patient and name, each appointment with its practitioner, name and charges... */
const overviewActualCost = ({ patient }: Overview) =>
  2 +
  patient.appointments.reduce((sum, appointment) => sum + 3 + 2 * (appointment.charges?.length ?? 0), 0) +
  2 * (patient.invoices?.length ?? 0) +
  (patient.balance ? 1 : 0);

describe('extensions.cost on the healthcare graph', () => {
  const prefix = `${uniqueName('cost')}_`;
  let system: RunningSystem;
  const portal = clientTiers.portal;
  // A new subject per test: a bucket of its own, full.
  const staff = () => bearerFor({ role: 'admin', purpose: 'TREAT', subject: `cost-${randomUUID()}` });

  beforeAll(async () => {
    system = await startSystem({ databaseUrl: postgresUrl, schemaPrefix: prefix, gatewayPort: 0, seedDemoData: true });
  });
  afterAll(async () => {
    await system?.close();
    await dropSystemSchemas(postgresUrl, system);
  });

  const expectCost = (extensions: Record<string, any> | undefined, requested: number, actual: number) => {
    const cost = extensions?.cost;
    expect(cost).toMatchObject({
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: { maximumAvailable: portal.capacity, restoreRate: portal.restoreRate },
    });
    // Charged the actual cost, or the minimum charge of its estimate if that is more; the bucket refills while
    // the request runs, so this is a lower bound.
    expect(cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(portal.capacity - Math.max(actual, minimumCharge(requested)));
    expect(cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(portal.capacity);
  };

  it('reports the cost of a patient chart: assumed list sizes nested', async () => {
    const { data, errors, extensions } = await graphql<Overview>(system.gateway.url, PATIENT_OVERVIEW, { id: 'pat-0001' }, await staff());
    expect(errors).toBeUndefined();
    expect(data!.patient.appointments.length).toBeGreaterThan(0);
    expectCost(extensions, PATIENT_OVERVIEW_COST, overviewActualCost(data!));
  });

  it('reports the cost of a patient search: a slicing argument sizing a connection', async () => {
    const { data, errors, extensions } = await graphql(system.gateway.url, PATIENT_SEARCH, { name: 'a' }, await staff());
    expect(errors).toBeUndefined();
    expect(data!.patients.edges.length).toBeGreaterThan(0);
    // Each edge, its node and name 3; the connection, pageInfo and the search argument 3.
    expectCost(extensions, PATIENT_SEARCH_COST, 3 + 3 * data!.patients.edges.length);
  });

  it('reports the cost of a registration: the mutation and its input objects', async () => {
    const input = {
      name: { family: 'Okonkwo', given: ['Ngozi', 'Ada'] },
      birthDate: '1980-02-29',
      gender: 'FEMALE',
      telecom: [
        { system: 'PHONE', value: '+1 555 0100', use: 'MOBILE' },
        { system: 'EMAIL', value: 'ngozi@example.org', use: 'HOME' },
      ],
    };
    const { data, errors, extensions } = await graphql(system.gateway.url, REGISTER_PATIENT, { input, key: randomUUID() }, await staff());
    expect(errors).toBeUndefined();
    expect(data!.registerPatient.mrn).toMatch(/^MRN/);
    expectCost(extensions, REGISTER_PATIENT_COST, REGISTER_PATIENT_COST);
  });
});
