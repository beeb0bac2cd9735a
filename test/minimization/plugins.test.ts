import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { accessRecordPlugin } from '../../gateway/access-record/access-record-plugin.ts';
import type { AccessRecord } from '../../gateway/access-record/access-record.ts';
import { authorizationPlugin } from '../../gateway/authorization/authorization-plugin.ts';
import { executableSupergraph } from '../../gateway/authorization/executable-supergraph.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { minimizationPlugin } from '../../gateway/minimization/minimization-plugin.ts';
import { SubgraphDataSource } from '../../gateway/subgraph-data-source.ts';
import { Disclosures } from '../../platform/audit/disclosures.ts';
import { createLogger } from '../../platform/logger.ts';
import { accessPolicies } from '../../policies/access-policies.ts';
import { minimizationPolicy } from '../../policies/minimization.ts';
import { graphql } from '../support/graphql.ts';
import { callerWith, jane, startSubgraphs } from './fixture-graph.ts';

const callers = {
  payer: callerWith(['payer_partner'], 'HPAYMT', { organizationId: 'payer-1' }),
  billing: callerWith(['billing_specialist'], 'HPAYMT'),
  clinician: callerWith(['clinician'], 'TREAT'),
  researcher: callerWith(['clinician'], 'HRESCH'),
};

let subgraphs: Awaited<ReturnType<typeof startSubgraphs>>;
const gateways: ApolloServer<GatewayContext>[] = [];
const urls = { filter: '', reject: '' };
const records: AccessRecord[] = [];
let sinkFails = false;

/** Calls a gateway (the authorization plugin filtering, or rejecting) over HTTP as `caller`. */
const call = (caller: keyof typeof callers, query: string, mode: keyof typeof urls = 'filter') =>
  graphql(urls[mode], query, undefined, { 'x-test-caller': caller });

/** The pipeline's authorization, access record and minimization plugins over @apollo/gateway, as the gateway runs them. */
async function startGateway(mode: keyof typeof urls): Promise<string> {
  const schema = subgraphs.apiSchema;
  const gateway = new ApolloServer<GatewayContext>({
    gateway: new ApolloGateway({
      supergraphSdl: executableSupergraph(subgraphs.supergraphSdl),
      buildService: ({ name, url }) => new SubgraphDataSource({ name, url: url!, timeoutMs: 5_000, signInternalToken: async () => 'fixture' }),
    }),
    plugins: [
      authorizationPlugin({ supergraphSdl: subgraphs.supergraphSdl, policies: accessPolicies, mode }),
      accessRecordPlugin({
        schema,
        sink: async (written) => {
          if (sinkFails) throw new Error('audit store down');
          records.push(...written);
        },
      }),
      minimizationPlugin({ schema, rules: minimizationPolicy }),
    ],
  });
  gateways.push(gateway);
  const logger = createLogger('gateway-test');
  const { url } = await startStandaloneServer(gateway, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      requestId: 'req-1',
      logger,
      caller: callers[req.headers['x-test-caller'] as keyof typeof callers] ?? null,
      disclosures: new Disclosures(),
    }),
  });
  return url;
}

beforeAll(async () => {
  subgraphs = await startSubgraphs();
  urls.filter = await startGateway('filter');
  urls.reject = await startGateway('reject');
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await Promise.all([subgraphs?.patients.close(), subgraphs?.appointments.close()]);
});

beforeEach(() => {
  records.length = 0;
  sinkFails = false;
});

const demographics = `{ patient(id: "pat-1") {
  birthDate name { text family given } nationalIdentifier address { postalCode }
  identifiers { type value } telecom { value }
} }`;

describe('minimization through @apollo/gateway', () => {
  it('a payer partner sees the birth year and initials, never the national identifier or telecom values', async () => {
    const { data, errors } = await call('payer', demographics);
    expect(errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['patient', 'nationalIdentifier'], 'FORBIDDEN']]);
    expect(data?.patient).toEqual({
      birthDate: '1980',
      name: { text: 'J. A. D.', family: 'D.', given: ['J.', 'A.'] },
      nationalIdentifier: null,
      address: { postalCode: '62704' },
      identifiers: [
        { type: 'MR', value: 'MRN-0001' },
        { type: 'NI', value: '***' },
      ],
      telecom: [{ value: '***' }],
    });
  });

  it('a billing specialist sees the last four of the national identifier, wherever it is', async () => {
    const { data } = await call('billing', demographics);
    expect(data?.patient.nationalIdentifier).toBe('***-**-6789');
    expect(data?.patient.identifiers).toEqual([
      { type: 'MR', value: 'MRN-0001' },
      { type: 'NI', value: '***-**-6789' },
    ]);
    expect(data?.patient.name.text).toBe('Jane Ann Doe');
    expect(data?.patient.birthDate).toBe('1980-04-12');
  });

  it('a clinician treating the patient sees everything', async () => {
    const { data } = await call('clinician', demographics);
    expect(data?.patient).toEqual({
      birthDate: jane.birthDate,
      name: jane.name,
      nationalIdentifier: jane.nationalIdentifier,
      address: { postalCode: '62704' },
      identifiers: jane.identifiers.map(({ type, value }) => ({ type, value })),
      telecom: [{ value: jane.telecom[0]!.value }],
    });
  });

  it('research sees a three-digit postal prefix, even for a clinician', async () => {
    const { data } = await call('researcher', demographics);
    expect(data?.patient).toMatchObject({ birthDate: '1980', address: { postalCode: '627' }, name: { text: 'J. A. D.' } });
  });

  it("minimizes a patient's name reached through an appointment, not the practitioner's", async () => {
    const { data } = await call('researcher', '{ appointment(id: "apt-1") { practitioner { name { text } } patient { name { text } } } }');
    expect(data).toEqual({ appointment: { practitioner: { name: { text: 'Greg House' } }, patient: { name: { text: 'J. A. D.' } } } });
  });
});

describe('access records through @apollo/gateway', () => {
  it('names the patients whose rows the subgraphs released, though the operation selected no patient', async () => {
    const response = await call('clinician', '{ appointment(id: "apt-1") { reason practitioner { name { text } } } }');
    expect(response.data).toEqual({ appointment: { reason: 'check-up', practitioner: { name: { text: 'Greg House' } } } });
    expect(JSON.stringify(response)).not.toContain('disclosures');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      requestId: 'req-1',
      subject: 'user-clinician',
      roles: ['clinician'],
      purposeOfUse: 'TREAT',
      operationName: undefined,
      operationType: 'query',
      patientIds: ['pat-1'],
      fieldsReturned: ['Appointment.practitioner', 'Appointment.reason', 'HumanName.text', 'Practitioner.name', 'Query.appointment'],
      fieldsDenied: [],
      outcome: 'allowed',
    });
    expect(records[0]!.operationHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same operation the same hash whatever its whitespace', async () => {
    await call('clinician', '{ patient(id: "pat-1") { mrn } }');
    await call('clinician', '{\n  patient(id: "pat-1") {\n    mrn\n  }\n}');
    expect(records[0]!.operationHash).toBe(records[1]!.operationHash);
  });

  it('reports the fields returned before minimization, and what authorization denied', async () => {
    const { data, errors } = await call('payer', 'query Member { patient(id: "pat-1") { birthDate nationalIdentifier } }');
    expect(data).toEqual({ patient: { birthDate: '1980', nationalIdentifier: null } });
    expect(errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(records).toEqual([
      expect.objectContaining({
        operationName: 'Member',
        patientIds: ['pat-1'],
        fieldsReturned: ['Patient.birthDate', 'Query.patient'],
        fieldsDenied: ['Patient.nationalIdentifier'],
        outcome: 'partially_denied',
      }),
    ]);
  });

  it('records a denial of patient data: a field returning a patient, denied, is patient data', async () => {
    await call('payer', '{ appointment(id: "apt-1") { reason patient { id } } }');
    expect(records[0]).toMatchObject({ patientIds: ['pat-1'], fieldsReturned: ['Appointment.reason', 'Query.appointment'], fieldsDenied: ['Appointment.patient'], outcome: 'partially_denied' });
  });

  it('records an operation refused for patient data before anything was fetched', async () => {
    const { errors } = await call('payer', '{ patient(id: "pat-1") { nationalIdentifier } }', 'reject');
    expect(errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(records[0]).toMatchObject({ patientIds: [], fieldsReturned: [], fieldsDenied: ['Patient.nationalIdentifier'], outcome: 'denied' });
  });

  it('records the patients a row rule kept from the caller as a denied attempt, beside what it was given', async () => {
    const { data } = await call('clinician', '{ mine: patient(id: "pat-1") { mrn } theirs: patient(id: "pat-2") { mrn } }');
    expect(data).toEqual({ mine: { mrn: 'MRN-0001' }, theirs: null });
    expect(records).toEqual([
      expect.objectContaining({ patientIds: ['pat-1'], fieldsReturned: ['Patient.mrn', 'Query.patient'], outcome: 'allowed' }),
      expect.objectContaining({ requestId: 'req-1', patientIds: ['pat-2'], fieldsReturned: [], fieldsDenied: [], outcome: 'denied' }),
    ]);
  });

  it('writes no record for an operation that touched no patient data', async () => {
    const { data, errors } = await call('clinician', '{ patient(id: "pat-2") { __typename } }');
    expect([data, errors]).toEqual([{ patient: null }, undefined]);
    expect(records.map((record) => record.outcome)).toEqual(['denied']);
    records.length = 0;
    await call('clinician', '{ __typename }');
    expect(records).toEqual([]);
  });

  it('fails closed when the audit trail cannot take the record', async () => {
    sinkFails = true;
    const response = await call('clinician', demographics);
    expect(response.status).toBe(503);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([{ message: 'The audit trail is unavailable', extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
  });

  it('takes an alias like any other: no response key is the gateway\'s own', async () => {
    const { data, errors } = await call('clinician', '{ patient(id: "pat-1") { __patientId: mrn } }');
    expect([data, errors]).toEqual([{ patient: { __patientId: 'MRN-0001' } }, undefined]);
  });
});
