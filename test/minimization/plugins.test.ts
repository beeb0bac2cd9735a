import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { accessRecordPlugin, type AccessRecordContext } from '../../gateway/access-record/access-record-plugin.ts';
import type { AccessRecord } from '../../gateway/access-record/access-record.ts';
import { minimizationPlugin } from '../../gateway/minimization/minimization-plugin.ts';
import { createLogger } from '../../platform/logger.ts';
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
let gateway: ApolloServer<TestContext>;
let url: string;
const records: AccessRecord[] = [];
let sinkFails = false;

type TestContext = AccessRecordContext & { rejected: boolean };

/**
 * Calls the gateway over HTTP as `caller`. `denied` stands in for what the authorization plugin
 * leaves on the context; 'reject' for its mode that refuses the whole operation before planning.
 */
const call = (caller: keyof typeof callers, query: string, denied: unknown[] = [], mode: 'filter' | 'reject' = 'filter') =>
  graphql(url, query, undefined, { 'x-test-caller': caller, 'x-test-denied': JSON.stringify(denied), 'x-test-mode': mode });

const authorizationStandIn: ApolloServerPlugin<TestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue }) {
        if (contextValue.rejected) throw new GraphQLError('Not authorized', { extensions: { code: 'FORBIDDEN' } });
      },
    };
  },
};

beforeAll(async () => {
  subgraphs = await startSubgraphs();
  const schema = subgraphs.apiSchema;
  gateway = new ApolloServer<TestContext>({
    gateway: new ApolloGateway({ supergraphSdl: subgraphs.supergraphSdl }),
    plugins: [
      authorizationStandIn,
      accessRecordPlugin({
        schema,
        sink: async (record) => {
          if (sinkFails) throw new Error('audit store down');
          records.push(record);
        },
      }),
      minimizationPlugin({ schema, rules: minimizationPolicy }),
    ],
  });
  const logger = createLogger('gateway-test');
  ({ url } = await startStandaloneServer(gateway, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({
      requestId: 'req-1',
      logger,
      caller: callers[req.headers['x-test-caller'] as keyof typeof callers] ?? null,
      authorization: { denied: JSON.parse(String(req.headers['x-test-denied'] ?? '[]')) },
      rejected: req.headers['x-test-mode'] === 'reject',
    }),
  }));
});

afterAll(async () => {
  await gateway?.stop();
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
    expect(errors).toBeUndefined();
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
    const { data } = await call('payer', '{ appointment(id: "apt-1") { practitioner { name { text } } patient { name { text } } } }');
    expect(data).toEqual({ appointment: { practitioner: { name: { text: 'Greg House' } }, patient: { name: { text: 'J. A. D.' } } } });
  });
});

describe('access records through @apollo/gateway', () => {
  it('records the patient ids an operation returned even when it did not select them, and never returns them', async () => {
    const response = await call('clinician', '{ appointment(id: "apt-1") { reason patient { name { text } } } }');
    expect(response.data).toEqual({ appointment: { reason: 'check-up', patient: { name: { text: 'Jane Ann Doe' } } } });
    expect(JSON.stringify(response)).not.toContain('__patientId');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      requestId: 'req-1',
      subject: 'user-clinician',
      roles: ['clinician'],
      purposeOfUse: 'TREAT',
      operationName: undefined,
      operationType: 'query',
      patientIds: ['pat-1'],
      fieldsReturned: ['Appointment.patient', 'Appointment.reason', 'HumanName.text', 'Patient.name', 'Query.appointment'],
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
    const denied = [{ path: ['patient', 'nationalIdentifier'], coordinate: 'Patient.nationalIdentifier' }];
    const { data } = await call('payer', 'query Member { patient(id: "pat-1") { birthDate } }', denied);
    expect(data).toEqual({ patient: { birthDate: '1980' } });
    expect(records[0]).toMatchObject({
      operationName: 'Member',
      patientIds: ['pat-1'],
      fieldsReturned: ['Patient.birthDate', 'Query.patient'],
      fieldsDenied: ['Patient.nationalIdentifier'],
      outcome: 'partially_denied',
    });
  });

  it('records a denial of patient data even when no patient was returned', async () => {
    const denied = [{ path: ['appointment', 'patient'], coordinate: 'Appointment.patient' }];
    await call('payer', '{ appointment(id: "apt-1") { reason } }', denied);
    expect(records[0]).toMatchObject({ patientIds: [], fieldsReturned: ['Appointment.reason', 'Query.appointment'], fieldsDenied: ['Appointment.patient'], outcome: 'partially_denied' });
  });

  it('records an operation refused for patient data before anything was fetched', async () => {
    const denied = [{ path: ['patient', 'nationalIdentifier'], coordinate: 'Patient.nationalIdentifier' }];
    const { errors } = await call('payer', '{ patient(id: "pat-1") { nationalIdentifier } }', denied, 'reject');
    expect(errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(records[0]).toMatchObject({ patientIds: [], fieldsReturned: [], fieldsDenied: ['Patient.nationalIdentifier'], outcome: 'denied' });
  });

  it('writes no record for an operation that touched no patient data', async () => {
    const { data } = await call('clinician', '{ appointment(id: "apt-1") { reason practitioner { name { text } } } }');
    expect(data?.appointment.reason).toBe('check-up');
    expect(records).toEqual([]);
  });

  it('fails closed when the audit trail cannot take the record', async () => {
    sinkFails = true;
    const response = await call('clinician', demographics);
    expect(response.status).toBe(503);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([{ message: 'The audit trail is unavailable', extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
  });

  it('refuses a document that uses the hidden key itself', async () => {
    const { errors } = await call('clinician', '{ patient(id: "pat-1") { __patientId: mrn } }');
    expect(errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
