import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { authorizeOperation } from '../../gateway/authorization/authorize-operation.ts';
import { forbiddenErrors, restoreDeniedFields } from '../../gateway/authorization/denied-response.ts';
import { readSupergraphSecurity } from '../../gateway/authorization/security-directives.ts';
import { accessPolicies } from '../../policies/access-policies.ts';
import { composeFixture, frontDesk, patientSelf } from './fixture-supergraph.ts';
import type { Caller } from '../../platform/caller.ts';

const security = readSupergraphSecurity(composeFixture());
const authorize = (query: string, who: Caller) =>
  authorizeOperation(parse(query), undefined, undefined, who, security, accessPolicies);

describe('restoreDeniedFields', () => {
  it('answers a denied field with null in every object of the types it was denied on', () => {
    const authorized = authorize(
      '{ search(text: "a") { ... on Patient { name } ... on Practitioner { name licence } } }',
      frontDesk,
    );
    const data = {
      search: [
        { name: 'Ada', _authorizationTypename: 'Patient' },
        { name: 'Dr Who', _authorizationTypename: 'Practitioner' },
      ],
    };
    expect(restoreDeniedFields(data, authorized)).toEqual({ search: [{ name: 'Ada' }, { name: 'Dr Who', licence: null }] });
    expect(forbiddenErrors(authorized.denied)).toEqual([
      { message: 'Not authorized to read Practitioner.licence', path: ['search', 'licence'], extensions: { code: 'FORBIDDEN' } },
    ]);
  });

  it('spreads the null of a non-null field to the nearest nullable parent', () => {
    const authorized = authorize('{ patient(id: "p1") { name medicalRecordNumber } serverVersion }', patientSelf);
    const data = { patient: { name: 'Ada', _authorizationTypename: 'Patient' }, serverVersion: '1' };
    expect(restoreDeniedFields(data, authorized)).toEqual({ patient: null, serverVersion: '1' });
  });

  it('nulls the whole result when only non-null positions lead to the denied field', () => {
    // patients: [Patient!]! and medicalRecordNumber: String!
    const authorized = authorize('{ patients { medicalRecordNumber } }', { ...patientSelf, scopes: ['user/Patient.r'] });
    expect(authorized.denied).toMatchObject([{ path: ['patients', 'medicalRecordNumber'] }]);
    expect(restoreDeniedFields({ patients: [{ _authorizationTypename: 'Patient' }] }, authorized)).toBeNull();
  });

  it('leaves a key that another selection fetched, and nulls denied root fields', () => {
    const authorized = authorize('{ patient(id: "p1") { nationalIdentifier } serverVersion }', frontDesk);
    const data = { patient: { nationalIdentifier: 'kept', _authorizationTypename: 'Patient' }, serverVersion: '1' };
    expect(restoreDeniedFields(data, authorized)).toEqual({ patient: { nationalIdentifier: 'kept' }, serverVersion: '1' });
    const anonymous = authorizeOperation(parse('{ patient(id: "p1") { name } serverVersion }'), undefined, undefined, null, security, accessPolicies);
    expect(restoreDeniedFields({ serverVersion: '1' }, anonymous)).toEqual({ serverVersion: '1', patient: null });
  });
});
