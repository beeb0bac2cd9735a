import { composeServices } from '@apollo/composition';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldAt } from '../../gateway/minimization/response-shape.ts';
import { rulesNotFitting, rulesOf } from '../../gateway/minimization/rule-fit.ts';
import { ruleSetFor } from '../../platform/authorization/minimization-rules.ts';
import { minimizationPolicy, type MinimizationPolicy } from '../../policies/minimization.ts';
import { subgraphCatalog, subgraphSdl } from '../../schema/catalog.ts';
import { callerWith } from './fixture-graph.ts';

/** The transforms of each coordinate in the caller's rule set (space-separated where several scopes name it). */
function transformsOf(roles: string[], purpose: string) {
  const ruleSet = ruleSetFor(callerWith(roles, purpose), minimizationPolicy);
  return Object.fromEntries([...ruleSet.byCoordinate].map(([coordinate, rules]) => [coordinate, rules.map((rule) => rule.transform).join(' ')]));
}

describe('minimization rule sets', () => {
  it('a clinician treating and a patient asking for their own record see everything', () => {
    expect(transformsOf(['clinician'], 'TREAT')).toEqual({});
    expect(transformsOf(['patient'], 'PATRQT')).toEqual({});
  });

  it('a payer partner: birth year, initials, no national identifier, no telecom values', () => {
    expect(transformsOf(['payer_partner'], 'HPAYMT')).toEqual({
      'Patient.birthDate': 'year',
      'HumanName.family': 'initials',
      'HumanName.given': 'initials',
      'HumanName.text': 'initials',
      'Patient.nationalIdentifier': 'redact',
      'Identifier.value': 'mask',
      'ContactPoint.value': 'mask',
    });
  });

  it('billing and front desk: the last four of the national identifier', () => {
    const last4 = { 'Patient.nationalIdentifier': 'last4', 'Identifier.value': 'last4' };
    expect(transformsOf(['billing_specialist'], 'HPAYMT')).toEqual(last4);
    expect(transformsOf(['front_desk'], 'HOPERAT')).toEqual(last4);
    expect(transformsOf(['front_desk'], 'TREAT')).toEqual(last4);
  });

  it('a purpose rule holds for a role with full access: a clinician doing research sees a de-identified record', () => {
    expect(transformsOf(['clinician'], 'HRESCH')).toMatchObject({
      'Address.postalCode': 'postal_prefix3',
      'Patient.birthDate': 'year',
      'HumanName.text': 'initials',
      'Patient.mrn': 'mask',
    });
  });

  it('an auditor sees ids and names as initials', () => {
    const auditor = transformsOf(['auditor'], 'HCOMPL');
    expect(auditor).toMatchObject({ 'HumanName.text': 'initials', 'Patient.birthDate': 'year', 'Patient.nationalIdentifier': 'redact' });
    expect(auditor).not.toHaveProperty('Patient.id');
    expect(auditor).not.toHaveProperty('Patient.mrn');
  });

  it('the strictest transform wins between roles and purpose', () => {
    expect(transformsOf(['billing_specialist', 'payer_partner'], 'HPAYMT')).toMatchObject({ 'Patient.nationalIdentifier': 'redact' });
    expect(transformsOf(['payer_partner'], 'HPAYMT')['Identifier.value']).toBe('mask');
  });

  it('a caller with no known role, or none at all, fails closed', () => {
    const deidentified = transformsOf(['clinician'], 'HRESCH');
    expect(transformsOf(['intern'], 'TREAT')).toEqual(deidentified);
    expect(ruleSetFor(null, minimizationPolicy)).toBe(ruleSetFor(callerWith([], 'TREAT'), minimizationPolicy));
    expect(ruleSetFor(null, minimizationPolicy).key).toBe(ruleSetFor(callerWith(['clinician'], 'HRESCH'), minimizationPolicy).key);
  });

  it('callers with equal rules share one rule set key', () => {
    const billing = ruleSetFor(callerWith(['billing_specialist'], 'HPAYMT'), minimizationPolicy);
    expect(ruleSetFor(callerWith(['front_desk'], 'HOPERAT'), minimizationPolicy).key).toBe(billing.key);
    expect(ruleSetFor(callerWith(['clinician'], 'TREAT'), minimizationPolicy).key).not.toBe(billing.key);
  });
});

describe('the minimization policy and the schema', () => {
  const composed = composeServices(subgraphCatalog.map(({ name }) => ({ name, typeDefs: parse(subgraphSdl(name)) })));
  const apiSchema = composed.schema!.toAPISchema().toGraphQLJSSchema();

  it('names only fields our supergraph has, with transforms that keep their types', () => {
    const rules = rulesOf(minimizationPolicy);
    expect(rules.filter((rule) => !fieldAt(apiSchema, rule.coordinate)).map((rule) => rule.coordinate)).toEqual([]);
    expect(rules.filter((rule) => rule.via && !fieldAt(apiSchema, rule.via)).map((rule) => rule.via)).toEqual([]);
    expect(rulesNotFitting(apiSchema, minimizationPolicy)).toEqual([]);
  });

  it('refuses rules that would break the types', () => {
    const schema = buildSchema('type Query { p: P } type P { a: String! b: Int c: String d: Q } type Q { x: String }');
    const policy: MinimizationPolicy = {
      byRole: {},
      byPurpose: {},
      withoutKnownRole: [
        { coordinate: 'P.a', transform: 'redact' },
        { coordinate: 'P.b', transform: 'mask' },
        { coordinate: 'P.c', transform: 'last4', when: { field: 'kind', equals: 'NI' } },
        { coordinate: 'P.d', transform: 'initials' },
        { coordinate: 'P.d', transform: 'redact' },
        { coordinate: 'Elsewhere.x', transform: 'redact' },
      ],
    };
    expect(rulesNotFitting(schema, policy)).toEqual([
      'P.a (redact): redact needs a nullable field',
      'P.b (mask): mask needs a string scalar',
      'P.c (last4): P has no field kind',
      'P.d (initials): initials needs a string scalar',
    ]);
  });
});
