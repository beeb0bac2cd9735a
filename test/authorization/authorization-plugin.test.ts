import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import type { Caller } from '../../platform/caller.ts';
import { pruneOperation } from '../../gateway/authorization/authorize-operation.ts';
import { authorizationPlugin, type AuthorizationContext } from '../../gateway/authorization/authorization-plugin.ts';
import { executableSupergraph } from '../../gateway/authorization/executable-supergraph.ts';
import { accessPolicies } from '../../policies/access-policies.ts';
import { clinician, composeFixture, frontDesk, patientSelf } from './fixture-supergraph.ts';
import { startSubgraphs, type RecordingSubgraph } from './fixture-subgraphs.ts';

// Counts the walks, to show a hot operation is rewritten once per class of caller.
vi.mock('../../gateway/authorization/authorize-operation.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../gateway/authorization/authorize-operation.ts')>();
  return { ...original, pruneOperation: vi.fn(original.pruneOperation) };
});

let subgraphs: Record<'patients' | 'billing', RecordingSubgraph>;
const servers: Record<'filter' | 'reject', ApolloServer<AuthorizationContext>> = {} as never;

const sentQueries = () => [...subgraphs.patients.queries, ...subgraphs.billing.queries];

async function run(mode: 'filter' | 'reject', query: string, caller: Caller | null, variables?: Record<string, unknown>) {
  const response = await servers[mode].executeOperation({ query, variables }, { contextValue: { caller } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, ...response.body.singleResult };
}

beforeAll(async () => {
  subgraphs = await startSubgraphs();
  const supergraphSdl = composeFixture({ patients: subgraphs.patients.url, billing: subgraphs.billing.url });
  for (const mode of ['filter', 'reject'] as const) {
    servers[mode] = new ApolloServer<AuthorizationContext>({
      gateway: new ApolloGateway({ supergraphSdl: executableSupergraph(supergraphSdl) }),
      plugins: [authorizationPlugin({ supergraphSdl, policies: accessPolicies, mode })],
    });
    await servers[mode].start();
  }
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.close()));
});

beforeEach(() => {
  vi.mocked(pruneOperation).mockClear();
  subgraphs.patients.queries.length = 0;
  subgraphs.billing.queries.length = 0;
});

const patientQuery = '{ patient(id: "p1") { name nationalIdentifier invoices { total } } }';

describe('authorizationPlugin through @apollo/gateway', () => {
  it('filter mode: denied fields are never fetched, and come back null with FORBIDDEN at their path', async () => {
    const result = await run('filter', patientQuery, frontDesk);
    expect(result.data).toEqual({ patient: { name: 'Ada', nationalIdentifier: null, invoices: null } });
    expect(result.errors).toEqual([
      { message: 'Not authorized to read Patient.nationalIdentifier', path: ['patient', 'nationalIdentifier'], extensions: { code: 'FORBIDDEN' } },
      { message: 'Not authorized to read Patient.invoices', path: ['patient', 'invoices'], extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(subgraphs.patients.queries).toHaveLength(1);
    expect(subgraphs.billing.queries).toHaveLength(0);
    expect(sentQueries().join('\n')).not.toMatch(/nationalIdentifier|invoices/);
  });

  it('gives each caller the plan for what they may see, hot or cold', async () => {
    const callers = [clinician, frontDesk, clinician, frontDesk];
    const answers = [];
    for (const caller of callers) {
      subgraphs.patients.queries.length = 0;
      const { data } = await run('filter', patientQuery, caller);
      answers.push([(data?.patient as Record<string, unknown>).nationalIdentifier, subgraphs.patients.queries.join()]);
    }
    expect(answers.map(([identifier]) => identifier)).toEqual(['NI-123', null, 'NI-123', null]);
    expect(answers.map(([, sent]) => String(sent).includes('nationalIdentifier'))).toEqual([true, false, true, false]);
  });

  it('filter mode: nulls denied fields through interfaces, lists and non-null parents', async () => {
    const listed = await run('filter', '{ careParticipants { name phone } }', patientSelf);
    expect(listed.data).toEqual({ careParticipants: [{ name: 'Ada', phone: null }, { name: 'Dr Grey', phone: null }] });
    const nonNull = await run('filter', '{ patient(id: "p1") { name medicalRecordNumber } serverVersion }', patientSelf);
    expect(nonNull.data).toEqual({ patient: null, serverVersion: '1.0' });
    expect(nonNull.errors?.map((error) => error.path)).toEqual([['patient', 'medicalRecordNumber']]);
    expect(sentQueries().join('\n')).not.toMatch(/phone|medicalRecordNumber/);
  });

  it('answers without calling any subgraph when every root field is denied', async () => {
    const result = await run('filter', '{ patient(id: "p1") { name } }', null);
    expect(result.data).toEqual({ patient: null });
    expect(result.errors).toMatchObject([{ path: ['patient'], extensions: { code: 'FORBIDDEN' } }]);
    expect(sentQueries()).toEqual([]);
  });

  it('leaves an operation the caller may fully read as it is', async () => {
    const result = await run('filter', '{ patient(id: "p1") { name nationalIdentifier note { text } } }', clinician);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ patient: { name: 'Ada', nationalIdentifier: 'NI-123', note: { text: 'stable' } } });
    expect(subgraphs.patients.queries.join()).not.toContain('__typename');
  });

  it('walks a hot operation once per operation, @skip/@include variables and class of caller', async () => {
    const query = 'query Chart($full: Boolean!) { patient(id: "p1") { name nationalIdentifier @include(if: $full) } }';
    const anotherDesk = { ...frontDesk, subject: 'user-2', expiresAt: frontDesk.expiresAt + 60 };
    for (const caller of [frontDesk, anotherDesk, frontDesk]) await run('filter', query, caller, { full: true });
    expect(pruneOperation).toHaveBeenCalledTimes(1);
    await run('filter', query, frontDesk, { full: false });
    await run('filter', query, clinician, { full: true });
    expect(pruneOperation).toHaveBeenCalledTimes(3);
  });

  it('reject mode: refuses the operation with one FORBIDDEN error before any subgraph is called', async () => {
    const result = await run('reject', patientQuery, frontDesk);
    expect(result.status).toBe(403);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      {
        message: 'Not authorized to read Patient.nationalIdentifier, Patient.invoices',
        extensions: { code: 'FORBIDDEN', deniedPaths: [['patient', 'nationalIdentifier'], ['patient', 'invoices']] },
      },
    ]);
    expect(sentQueries()).toEqual([]);
    expect((await run('reject', '{ patient(id: "p1") { name } }', frontDesk)).data).toEqual({ patient: { name: 'Ada' } });
  });
});
