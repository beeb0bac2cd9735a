import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { responsePricing } from './actual-cost.ts';
import { CostSchema } from './cost-schema.ts';
import { estimateCost } from './estimate-cost.ts';
import { composeSupergraph, supergraphSchema, supergraphSdl } from './test-fixture.ts';

const supergraph = new CostSchema(supergraphSchema);
const estimate = (query: string, variables?: Record<string, unknown>, cost = supergraph) => estimateCost(cost, parse(query), variables);

describe('cost directives in a composed supergraph', () => {
  it('come out under the cost spec link, @cost as the spec’s own directive', () => {
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])');
    expect(supergraphSdl).toContain('riskScore: Float @join__field(graph: PATIENTS) @cost(weight: 8)');
  });

  it('are found under the names the subgraphs gave them', () => {
    const link = '@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@cost", as: "@weight" }])';
    const { supergraphSdl: renamed } = composeSupergraph({
      patients: `extend schema ${link}
        type Query { patients(first: Int): [Patient!]! @federation__listSize(slicingArguments: ["first"]) }
        type Patient @key(fields: "id") { id: ID!, riskScore: Float @weight(weight: 5) }`,
    });
    expect(renamed).toContain('import: [{name: "@cost", as: "@weight"}, {name: "@listSize", as: "@federation__listSize"}]');
    // 2 patients × (1 + riskScore 5)
    expect(estimate('{ patients(first: 2) { riskScore } }', {}, new CostSchema(buildSchema(renamed)))).toBe(12);
  });
});

describe('estimateCost', () => {
  it('assumes the default list size for a list without @listSize', () => {
    // slots: 10 × Slot 1; with a default of 3: 3 × 1
    expect(estimate('{ slots(day: "2025-03-01") { start free } }')).toBe(10);
    expect(estimate('{ slots(day: "2025-03-01") { start } }', {}, new CostSchema(supergraphSchema, 3))).toBe(3);
  });

  it('uses the slicing argument’s default when none is given', () => {
    // patients(first = 20) × Patient 1
    expect(estimate('{ patients { id } }')).toBe(20);
  });

  it('does not let a negative page size buy cost back', () => {
    expect(estimate('{ patients(first: -100) { riskScore } }')).toBe(0);
  });

  it('leaves out what @skip and @include leave out, with their variables', () => {
    const query = 'query ($full: Boolean!) { patients(first: 2) { id riskScore @include(if: $full) } }';
    expect(estimate(query, { full: false })).toBe(2);
    expect(estimate(query, { full: true })).toBe(18);
  });

  it('requires exactly one slicing argument where @listSize says so', () => {
    expect(() => estimate('{ patientSearch(filter: {}, first: 2, last: 2) { totalCount } }')).toThrow(/exactly one of first, last/);
  });

  it('charges nothing for introspection, which never reaches a subgraph', () => {
    expect(estimate('{ __typename __type(name: "Patient") { name fields { name } } }')).toBe(0);
  });

  it('scores a fragment once however often it is spread', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Patient { ...F${i + 1} ...F${i + 1} }`);
    const query = `{ patient(id: "p1") { ...F0 } } ${fragments.join(' ')} fragment F40 on Patient { riskScore }`;
    // 1 + 2^40 × 8, computed without expanding
    expect(estimate(query)).toBe(1 + 2 ** 40 * 8);
  });
});

describe('responsePricing', () => {
  const records = new CostSchema(
    buildSchema(/* GraphQL */ `
      directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
      directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
      type Query { records: [Record!]! @listSize(assumedSize: 4) }
      interface Record { id: ID! }
      type Observation implements Record { id: ID!, value: Float }
      type Condition implements Record { id: ID!, code: String @cost(weight: 2) }
    `),
  );
  const query = parse('{ records { id ... on Observation { value } ... on Condition { code } } }');

  it('counts what came back, fragment by concrete type, with or without __typename', () => {
    // Estimate, every fragment counted: 4 × (Record 1 + code 2) = 12
    expect(estimateCost(records, query)).toBe(12);
    // Actual: the observation 1, the condition 1 + code 2
    const observation = { id: 'o1', value: 37.2 };
    const condition = { id: 'c1', code: 'I10' };
    expect(responsePricing(records, query)({ records: [observation, condition] })).toBe(4);
    const typed = [{ __typename: 'Observation', ...observation }, { __typename: 'Condition', ...condition }];
    expect(responsePricing(records, query)({ records: typed })).toBe(4);
  });

  it('prices later responses as the first, whichever types came first', () => {
    const price = responsePricing(records, query);
    const condition = { __typename: 'Condition', id: 'c1', code: 'I10' };
    expect(price({ records: [{ id: 'o1', value: 37.2 }] })).toBe(1);
    expect(price({ records: [condition, condition] })).toBe(6);
    expect(price({ records: [{ __typename: 'Observation', id: 'o2' }, condition] })).toBe(4);
    expect(price(null)).toBe(0);
  });

  it('merges fields by response key as execution does', () => {
    const twice = parse('{ patient(id: "p1") { id } patient(id: "p1") { riskScore } }');
    // Estimate counts each selection: (1) + (1 + 8) = 10; the data holds one patient: 1 + 8 = 9
    expect(estimateCost(supergraph, twice)).toBe(10);
    expect(responsePricing(supergraph, twice)({ patient: { id: 'p1', riskScore: 0.2 } })).toBe(9);
  });

  it('charges a null its field’s @cost only', () => {
    const query = parse('{ patient(id: "p9") { riskScore } }');
    expect(responsePricing(supergraph, query)({ patient: null })).toBe(0);
    expect(responsePricing(supergraph, query)({ patient: { riskScore: null } })).toBe(9);
  });
});
