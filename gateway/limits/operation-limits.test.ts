import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationLimits, defaultOperationLimits, operationParseOptions, type OperationLimits } from './operation-limits.ts';
import { operationLimitsPlugin } from './operation-limits-plugin.ts';
import { measureDocument } from './operation-shape.ts';

const typeDefs = /* GraphQL */ `
  type Query { patient(id: ID!): Patient, patients: [Patient!]! }
  type Patient { id: ID!, name: String, referredBy: Patient, appointments: [Appointment!]! }
  type Appointment { id: ID!, patient: Patient }
`;
const patient = { id: 'p1', name: 'Ada', referredBy: null, appointments: [] };
const resolvers = { Query: { patient: () => patient, patients: () => [patient] } };

describe('measureDocument', () => {
  it('counts depth through fragment spreads and inline fragments, which add no depth of their own', () => {
    const shape = measureDocument(
      parse(`
        { patient(id: "p1") { ...Referral } }
        fragment Referral on Patient { referredBy { ... on Patient { appointments { patient { id } } } } }
      `),
    );
    expect(shape.depth).toBe(5);
  });

  it('counts aliases and directives once per spread, and root fields through root fragments', () => {
    const shape = measureDocument(
      parse(`
        query Twice($full: Boolean!) @dedupe { ...Roots ...Roots }
        fragment Roots on Query { first: patient(id: "1") { id @include(if: $full) }, patients { id } }
      `),
    );
    expect(shape).toEqual({ depth: 2, aliases: 2, rootFields: 4, directives: 3 });
  });

  it('keeps the largest measure over all operations of the document', () => {
    const shape = measureDocument(parse('query Shallow { patients { id } } query Deep { patient(id: "1") { referredBy { id } } }'));
    expect(shape.depth).toBe(3);
    expect(shape.rootFields).toBe(1);
  });

  it('terminates on circular fragments', () => {
    const shape = measureDocument(
      parse(`
        { patient(id: "1") { ...A } }
        fragment A on Patient { referredBy { ...B } }
        fragment B on Patient { referredBy { ...A } }
      `),
    );
    expect(shape.depth).toBe(3);
  });

  it('measures a fragment once however often it is spread, so fan-out stays linear', () => {
    // F0 spreads F1 twice, F1 spreads F2 twice ... 2^30 aliased fields once expanded.
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const document = parse(`{ ...F0 } ${fragments.join(' ')} fragment F30 on Query { a: patients { id } }`);
    const started = performance.now();
    expect(measureDocument(document).aliases).toBe(2 ** 30);
    // 2^30 visits would take minutes; measured once per fragment, it is instant.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('checkOperationLimits', () => {
  it('names every limit the document goes over', () => {
    const violations = checkOperationLimits(parse('{ a: patients { id } b: patients { id } }'), {
      ...defaultOperationLimits,
      maxAliases: 1,
      maxRootFields: 1,
    });
    expect(violations.map((v) => [v.code, v.measured, v.limit])).toEqual([
      ['MAX_ALIASES_EXCEEDED', 2, 1],
      ['MAX_ROOT_FIELDS_EXCEEDED', 2, 1],
    ]);
  });
});

describe('operationLimitsPlugin', () => {
  const serverWith = (limits: Partial<OperationLimits> = {}) =>
    new ApolloServer({
      typeDefs,
      resolvers,
      parseOptions: operationParseOptions({ ...defaultOperationLimits, ...limits }),
      plugins: [operationLimitsPlugin(limits)],
    });

  const rejection = (response: GraphQLResponse) => {
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    return { status: response.http.status, data, code: errors?.[0]?.extensions?.code };
  };

  it.each([
    ['MAX_DEPTH_EXCEEDED', { maxDepth: 2 }, '{ patient(id: "1") { referredBy { id } } }'],
    ['MAX_ALIASES_EXCEEDED', { maxAliases: 1 }, '{ a: patients { id } b: patients { id } }'],
    ['MAX_ROOT_FIELDS_EXCEEDED', { maxRootFields: 1 }, '{ patients { id } patient(id: "1") { id } }'],
    ['MAX_DIRECTIVES_EXCEEDED', { maxDirectives: 1 }, '{ patients { id @skip(if: false) name @skip(if: false) } }'],
    ['MAX_TOKENS_EXCEEDED', { maxTokens: 10 }, '{ patient(id: "1") { id name referredBy { id } } }'],
  ])('rejects with %s and HTTP 400 before execution', async (code, limits, query) => {
    const response = await serverWith(limits).executeOperation({ query });
    expect(rejection(response)).toEqual({ status: 400, data: undefined, code });
  });

  it('lets an operation within the limits run', async () => {
    const response = await serverWith().executeOperation({ query: '{ patients { id name } }' });
    expect(response.body).toMatchObject({ singleResult: { data: { patients: [{ id: 'p1', name: 'Ada' }] } } });
  });

  it('lets the standard introspection query through the default limits', async () => {
    const query = getIntrospectionQuery();
    expect(measureDocument(parse(query)).depth).toBeLessThanOrEqual(defaultOperationLimits.maxDepth);
    const response = await serverWith().executeOperation({ query });
    expect(response.body).toMatchObject({ singleResult: { data: { __schema: { queryType: { name: 'Query' } } } } });
  });

  it('stops a circular introspection walk by depth', async () => {
    // graphql's own MaxIntrospectionDepthRule only counts fields/interfaces/possibleTypes/inputFields; ofType is ours.
    const query = `{ __type(name: "Patient") { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } }`;
    const response = await serverWith().executeOperation({ query });
    expect(rejection(response)).toEqual({ status: 400, data: undefined, code: 'MAX_DEPTH_EXCEEDED' });
  });
});
