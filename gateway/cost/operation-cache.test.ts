import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { responsePricing } from './actual-cost.ts';
import { CostSchema, type Variables } from './cost-schema.ts';
import { estimateCost } from './estimate-cost.ts';
import { OperationCache } from './operation-cache.ts';
import { supergraphSchema } from './test-fixture.ts';

const cost = new CostSchema(supergraphSchema);
const SEARCH = parse(`
  query Search($filter: PatientFilter!, $first: Int, $risk: Boolean!) {
    patientSearch(filter: $filter, first: $first) { totalCount nodes { id riskScore @include(if: $risk) } }
  }
`);
const REGISTER = parse('mutation ($input: PatientInput!) { registerPatient(input: $input) { id name } }');
const ada = { filter: { name: 'Ada' }, first: 2, risk: true };

/** A cache whose work is counted, answering what it was given. */
function countedCache() {
  const cache = new OperationCache<Variables>();
  const given: Variables[] = [];
  const get = (variables: Variables, queryHash = 'h', operationName: string | null = 'Search') =>
    cache.get({ queryHash, operationName, variables }, (seen) => (given.push(seen), seen));
  return { get, given };
}

describe('OperationCache', () => {
  it('works once for requests that differ only in strings, and is given none of them', () => {
    const { get, given } = countedCache();
    get(ada);
    get({ filter: { name: 'Grace' }, first: 2, risk: true });
    expect(given).toEqual([{ filter: { name: '' }, first: 2, risk: true }]);
  });

  it('works anew for a list size, a condition, a null, an input field, another operation or query', () => {
    const { get, given } = countedCache();
    get(ada);
    get({ ...ada, first: 5 });
    get({ ...ada, risk: false });
    get({ ...ada, filter: { name: null } });
    get({ ...ada, filter: {} });
    get(ada, 'h', 'Count');
    get(ada, 'other');
    expect(given).toHaveLength(7);
  });

  it('remembers no failure', () => {
    const cache = new OperationCache<number>();
    const refuse = () => {
      throw new Error('refused');
    };
    expect(() => cache.get({ queryHash: 'h', variables: ada }, refuse)).toThrow('refused');
    expect(cache.get({ queryHash: 'h', variables: ada }, () => 7)).toBe(7);
  });
});

describe('demand control without the strings of the variables', () => {
  const blanked = (variables: Variables) => JSON.parse(JSON.stringify(variables, (_key, value: unknown) => (typeof value === 'string' ? '' : value))) as Variables;

  /** The estimate, or the refusal's message: a page size given as a string is refused either way. */
  const outcome = (variables: Variables) => {
    try {
      return estimateCost(cost, SEARCH, variables);
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('estimates as with them: strings cost by being there, never by what they say', () => {
    for (const variables of [ada, { ...ada, filter: { name: null, status: 'ACTIVE' } }, { ...ada, first: '2' }]) {
      expect(outcome(blanked(variables))).toBe(outcome(variables));
    }
    const input = { input: { name: 'Ada Lovelace', identifiers: ['MRN-1', 'SSN-2'] } };
    expect(estimateCost(cost, REGISTER, blanked(input))).toBe(estimateCost(cost, REGISTER, input));
  });

  it('prices a response as with them', () => {
    const data = { patientSearch: { totalCount: 1, nodes: [{ id: 'p1', riskScore: 0.2 }] } };
    expect(responsePricing(cost, SEARCH, blanked(ada))(data)).toBe(responsePricing(cost, SEARCH, ada)(data));
  });
});
