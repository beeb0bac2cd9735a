import { graphqlSync, parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { minimizationPlan } from '../../gateway/minimization/minimization-plan.ts';
import { minimize } from '../../gateway/minimization/minimize.ts';
import { minimizationPolicy } from '../../policies/minimization.ts';
import { callerWith } from './fixture-graph.ts';
import { rootValue, schema } from './fixture-schema.ts';

// Counts plan builds, to show a plan is made once per document, operation and rule set.
vi.mock('../../gateway/minimization/minimization-plan.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../gateway/minimization/minimization-plan.ts')>();
  return { ...original, minimizationPlan: vi.fn(original.minimizationPlan) };
});

const payer = callerWith(['payer_partner'], 'HPAYMT');
const clinician = callerWith(['clinician'], 'TREAT');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/** Executes `query`, then minimizes its data for `caller`: the data is frozen, so any write in place throws. */
function run(query: string, caller = payer, operationName: string | null = null) {
  const document = parse(query);
  const result = graphqlSync({ schema, source: query, rootValue, operationName });
  if (result.errors) throw new Error(result.errors.join('\n'));
  const data = deepFreeze(JSON.parse(JSON.stringify(result.data)));
  return { data, minimized: minimize(document, operationName, data, caller, schema, minimizationPolicy), document };
}

describe('minimize', () => {
  it('transforms by the parent type, through named fragments, inline fragments and aliases', () => {
    const { minimized } = run(`
      query { patient(id: "pat-1") { ...Card born: birthDate again: birthDate birthDate: id } }
      fragment Card on Patient { name { ... on HumanName { text } given } nationalIdentifier }
    `);
    expect(minimized).toEqual({
      patient: { name: { text: 'J. D.', given: ['J.'] }, nationalIdentifier: null, born: '1980', again: '1980', birthDate: 'pat-1' },
    });
  });

  it('tells the types of a union and of an interface apart by __typename, under any alias', () => {
    const { minimized } = run(`{ search(text: "x") {
      kind: __typename
      ... on Patient { born: birthDate name { text } }
      ... on Practitioner { born: birthDate name { text } }
      ... on Location { label: name }
    } }`);
    expect(minimized).toEqual({
      search: [
        { kind: 'Patient', born: '1980', name: { text: 'J. D.' } },
        { kind: 'Practitioner', born: '1959-06-11', name: { text: 'Greg House' } },
        { kind: 'Location', label: 'North Clinic' },
      ],
    });
    const participants = run('{ participants { __typename name { text } ... on Patient { birthDate } } }').minimized;
    expect(participants).toEqual({
      participants: [
        { __typename: 'Patient', name: { text: 'J. D.' }, birthDate: '1980' },
        { __typename: 'Practitioner', name: { text: 'Greg House' } },
      ],
    });
  });

  it('fails closed where the type cannot be told: every possible type’s rules apply', () => {
    const { minimized } = run('{ participants { name { text } } }');
    expect(minimized).toEqual({ participants: [{ name: { text: 'J. D.' } }, { name: { text: 'G. H.' } }] });
  });

  it('goes through lists and nulls', () => {
    expect(run('{ patients { birthDate } }').minimized).toEqual({ patients: [{ birthDate: '1980' }, null] });
    const nobody = minimize(parse('{ patient(id: "x") { birthDate } }'), null, { patient: null }, payer, schema, minimizationPolicy);
    expect(nobody).toEqual({ patient: null });
  });

  it('masks an identifier by its sibling type, and where the type was not selected', () => {
    expect(run('{ patient(id: "pat-1") { identifiers { kind: type value } } }').minimized).toEqual({
      patient: { identifiers: [{ kind: 'MR', value: 'MRN-1' }, { kind: 'NI', value: '***' }] },
    });
    expect(run('{ patient(id: "pat-1") { identifiers { value } } }').minimized).toEqual({
      patient: { identifiers: [{ value: '***' }, { value: '***' }] },
    });
  });

  it('returns a new tree sharing what did not change, and leaves the input as it was', () => {
    const { data, minimized } = run('{ patient(id: "pat-1") { birthDate identifiers { type } } }');
    expect(minimized).not.toBe(data);
    expect(data.patient.birthDate).toBe('1980-04-12');
    expect(minimized.patient.identifiers).toBe(data.patient.identifiers);
  });

  it('picks the operation by name', () => {
    const query = 'query A { patient(id: "pat-1") { birthDate } } query B { patient(id: "pat-1") { id } }';
    expect(run(query, payer, 'A').minimized).toEqual({ patient: { birthDate: '1980' } });
    expect(run(query, payer, 'B').minimized).toEqual({ patient: { id: 'pat-1' } });
  });

  it('does not walk the data for a caller without rules, or an operation that selects no minimized field', () => {
    const untouchable = new Proxy({}, { get: () => expect.fail('read'), has: () => expect.fail('read') });
    const document = parse('{ patient(id: "pat-1") { id } }');
    expect(minimize(document, null, untouchable, clinician, schema, minimizationPolicy)).toBe(untouchable);
    expect(minimize(document, null, untouchable, payer, schema, minimizationPolicy)).toBe(untouchable);
  });

  it('plans once per document, operation and rule set', () => {
    vi.mocked(minimizationPlan).mockClear();
    const document = parse('{ patient(id: "pat-1") { birthDate } }');
    const data = { patient: { birthDate: '1980-04-12' } };
    for (const caller of [payer, payer, callerWith(['payer_partner'], 'HPAYMT', { subject: 'another' }), clinician]) {
      minimize(document, null, data, caller, schema, minimizationPolicy);
    }
    expect(minimizationPlan).toHaveBeenCalledTimes(1);
    minimize(document, null, data, callerWith(['auditor'], 'HCOMPL'), schema, minimizationPolicy);
    expect(minimizationPlan).toHaveBeenCalledTimes(2);
  });
});
