import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaOf } from '../../gateway/api-schema.ts';
import { loadSafelist, operationHash } from '../../gateway/safelist/manifest.ts';
import { safelistPlugin } from '../../gateway/safelist/safelist-plugin.ts';
import type { Caller } from '../../platform/caller.ts';
import { supergraphPath } from '../../schema/catalog.ts';

const CHART = 'query Chart($id: ID!) { patient(id: $id) { id name } }';
const NAMES = 'query Names { patient(id: "p1") { name } }';

/** A manifest directory as @apollo/generate-persisted-query-manifest would leave it, one file per client. */
function manifests(byClient: Record<string, Array<{ id?: string; body: string }>>): string {
  const directory = mkdtempSync(join(tmpdir(), 'persisted-operations-'));
  for (const [client, operations] of Object.entries(byClient)) {
    writeFileSync(join(directory, `${client}.json`), JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
  }
  return directory;
}

const callerOf = (clientId: string): Caller => ({ subject: 'u1', clientId, roles: ['clinician'], scopes: [], expiresAt: 0 });

describe('safelistPlugin', () => {
  let resolved = 0;
  const server = new ApolloServer<{ caller: Caller | null; eventRead?: true }>({
    typeDefs: 'type Query { patient(id: ID!): Patient } type Patient { id: ID! name: String }',
    resolvers: { Query: { patient: (_: unknown, { id }: { id: string }) => ((resolved += 1), { id, name: 'Ada' }) } },
    plugins: [safelistPlugin(loadSafelist(manifests({ 'portal-web': [{ id: operationHash(CHART), body: CHART }], 'mobile-ios': [{ body: NAMES }] })))],
  });
  const run = async (request: Parameters<typeof server.executeOperation>[0], clientId: string | null = 'portal-web') => {
    const before = resolved;
    const response = await server.executeOperation(request, { contextValue: { caller: clientId ? callerOf(clientId) : null } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    return { status: response.http.status ?? 200, data, code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message, resolved: resolved - before };
  };

  it('runs a registered operation sent in full', async () => {
    expect(await run({ query: CHART, variables: { id: 'p1' } })).toMatchObject({ data: { patient: { id: 'p1', name: 'Ada' } }, resolved: 1 });
  });

  it('runs a registered operation sent by its hash alone, as Apollo Client persisted queries send it', async () => {
    const request = { variables: { id: 'p2' }, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(CHART) } } };
    expect(await run(request)).toMatchObject({ data: { patient: { id: 'p2' } }, resolved: 1 });
  });

  it.each([
    ['an unregistered document', { query: '{ patient(id: "p1") { id name } }' }, 'portal-web'],
    ['a registered document changed by one character', { query: CHART.replace('name', 'name ') }, 'portal-web'],
    ["another client's operation", { query: NAMES }, 'portal-web'],
    ['an unknown hash', { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash('{ x }') } } }, 'portal-web'],
    ['an anonymous caller', { query: CHART, variables: { id: 'p1' } }, null],
    ['a client without a manifest', { query: CHART, variables: { id: 'p1' } }, 'odoo'],
  ])('refuses %s with PERSISTED_QUERY_NOT_IN_LIST, resolving nothing', async (_case, request, clientId) => {
    expect(await run(request, clientId)).toMatchObject({ status: 400, data: undefined, code: 'PERSISTED_QUERY_NOT_IN_LIST', resolved: 0 });
  });

  it('refuses an unregistered document before validation, so its errors cannot be used to probe the schema', async () => {
    const refused = await run({ query: '{ patient(id: "p1") { ssn } }' });
    expect(refused.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(refused.message).not.toMatch(/ssn|Patient/);
  });

  it("lets through the gateway's own reads of an event's entity, which only the gateway can mark", async () => {
    const read = { query: '{ e0: patient(id: "p3") { id name } }' };
    const response = await server.executeOperation(read, { contextValue: { caller: callerOf('portal-web'), eventRead: true } });
    expect(response.body.kind === 'single' && response.body.singleResult).toMatchObject({ data: { e0: { id: 'p3', name: 'Ada' } } });
    expect(await run(read)).toMatchObject({ code: 'PERSISTED_QUERY_NOT_IN_LIST', resolved: 0 });
  });
});

describe('loadSafelist', () => {
  it('refuses a manifest whose id is not the sha256 of its body', () => {
    expect(() => loadSafelist(manifests({ portal: [{ id: operationHash(CHART), body: NAMES }] }))).toThrow(/not the sha256 of its body/);
  });

  it('refuses a file in another format', () => {
    const directory = manifests({});
    writeFileSync(join(directory, 'portal.json'), JSON.stringify({ operations: { Chart: CHART } }));
    expect(() => loadSafelist(directory)).toThrow(/apollo-persisted-query-manifest/);
  });

  it('ships manifests whose every operation is valid against the supergraph', () => {
    const schema = apiSchemaOf(readFileSync(supergraphPath, 'utf8'));
    const safelist = loadSafelist();
    expect(safelist.size).toBeGreaterThan(0);
    for (const [client, operations] of safelist) {
      for (const document of operations.values()) expect(validate(schema, parse(document)), `${client}: ${document}`).toEqual([]);
    }
  });
});
