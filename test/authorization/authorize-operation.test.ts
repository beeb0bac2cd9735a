import { describe, expect, it } from 'vitest';
import { parse, print } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import { authorizeOperation } from '../../gateway/authorization/authorize-operation.ts';
import { readSupergraphSecurity } from '../../gateway/authorization/security-directives.ts';
import { accessPolicies } from '../../policies/access-policies.ts';
import { caller, clinician, composeFixture, frontDesk, patientSelf } from './fixture-supergraph.ts';

const security = readSupergraphSecurity(composeFixture());

function authorize(query: string, who: Caller | null, variables?: Record<string, unknown>) {
  const document = parse(query);
  const result = authorizeOperation(document, undefined, variables, who, security, accessPolicies);
  return {
    ...result,
    unchanged: result.document === document,
    printed: result.document && print(result.document),
    deniedPaths: result.denied.map((field) => field.path.join('.')),
  };
}

const normalized = (query: string) => print(parse(query));

describe('authorizeOperation', () => {
  it('returns the document itself when the caller may read everything', () => {
    const result = authorize('{ patient(id: "p1") { name nationalIdentifier note { text } } }', clinician);
    expect(result.unchanged).toBe(true);
    expect(result.denied).toEqual([]);
  });

  it('removes nested denied fields and keeps the parent with an added __typename', () => {
    const result = authorize('{ patient(id: "p1") { name nationalIdentifier birthDate } serverVersion }', frontDesk);
    expect(result.printed).toBe(
      normalized('{ patient(id: "p1") { name _authorizationTypename: __typename } serverVersion }'),
    );
    expect(result.denied).toMatchObject([
      {
        path: ['patient', 'nationalIdentifier'],
        coordinate: 'Patient.nationalIdentifier',
        reason: 'Patient.nationalIdentifier requires policies staff and purpose_treatment or own_patient',
      },
      { path: ['patient', 'birthDate'], reason: 'Patient.birthDate requires scopes user/Patient.r and user/Observation.r' },
    ]);
    expect(result.typenamePaths).toEqual([['patient']]);
  });

  it('reports denied paths by response key when fields are aliased', () => {
    const result = authorize('{ mine: patient(id: "p1") { ssn: socialSecurityNumber } }', clinician);
    expect(result.deniedPaths).toEqual(['mine.ssn']);
    expect(result.denied[0]?.reason).toBe('SocialSecurityNumber requires policies admin');
    expect(result.printed).toBe(normalized('{ mine: patient(id: "p1") { _authorizationTypename: __typename } }'));
  });

  it('removes denied root fields, and leaves nothing to fetch when all are denied', () => {
    expect(authorize('{ patient(id: "p1") { name } serverVersion }', null).printed).toBe(normalized('{ serverVersion }'));
    const result = authorize('{ patient(id: "p1") { name } }', null);
    expect(result.document).toBeNull();
    expect(result.denied).toMatchObject([{ path: ['patient'], reason: 'Query.patient requires an authenticated caller' }]);
  });

  it('guards mutations like queries', () => {
    const mutation = 'mutation { voidInvoice(id: "i1") { id } }';
    expect(authorize(mutation, frontDesk).unchanged).toBe(true);
    expect(authorize(mutation, clinician).document).toBeNull();
  });

  it('inlines a named fragment only where it lost fields, keeping whole fragments as spreads', () => {
    const query = `
      { patient(id: "p1") { ...Identity } patients { ...Name } }
      fragment Identity on Patient { ...Name nationalIdentifier }
      fragment Name on Patient { name }`;
    const result = authorize(query, frontDesk);
    expect(result.printed).toBe(
      normalized(`
        { patient(id: "p1") { ... on Patient { ...Name } _authorizationTypename: __typename } patients { ...Name } }
        fragment Name on Patient { name }`),
    );
    expect(result.deniedPaths).toEqual(['patient.nationalIdentifier']);
  });

  it('judges a fragment at each place it is spread', () => {
    const query = `
      { search(text: "a") { ...Found } patient(id: "p1") { ...Found } }
      fragment Found on SearchResult { ... on Patient { name } ... on Practitioner { name licence } }`;
    const result = authorize(query, frontDesk);
    // Under patient the Practitioner branch can never match: nothing to report there.
    expect(result.deniedPaths).toEqual(['search.licence']);
    expect(result.denied[0]?.onTypes).toEqual(['Practitioner']);
    expect(result.printed).not.toContain('licence');
  });

  it('removes denied members of a union, type by type', () => {
    const result = authorize(
      '{ search(text: "a") { ... on Patient { name } ... on Practitioner { name licence } ... on AccessLog { actor } } }',
      frontDesk,
    );
    expect(result.printed).toBe(
      normalized(
        '{ search(text: "a") { ... on Patient { name } ... on Practitioner { name } _authorizationTypename: __typename } }',
      ),
    );
    expect(result.denied).toMatchObject([
      { path: ['search', 'licence'], onTypes: ['Practitioner'] },
      { path: ['search', 'actor'], reason: 'AccessLog requires policies auditor', onTypes: ['AccessLog'] },
    ]);
  });

  it('holds an interface field to the rules of every implementation, not a narrower type condition', () => {
    const onInterface = authorize('{ careParticipants { name phone } }', patientSelf);
    expect(onInterface.denied).toMatchObject([{ path: ['careParticipants', 'phone'], onTypes: ['Patient', 'Practitioner'] }]);
    expect(authorize('{ careParticipants { name ... on Patient { phone } } }', patientSelf).unchanged).toBe(true);
  });

  it('applies a type-level rule to every field returning the type, including an interface composition guarded', () => {
    expect(authorize('{ patient(id: "p1") { note { text } } }', frontDesk).denied).toMatchObject([
      { path: ['patient', 'note'], reason: 'ClinicalNote requires policies purpose_treatment' },
    ]);
    expect(authorize('{ node(id: "p1") { id } }', clinician).denied).toMatchObject([
      { path: ['node'], reason: 'Node requires policies auditor' },
    ]);
    expect(authorize('{ node(id: "p1") { id } }', caller({ roles: ['auditor'] })).unchanged).toBe(true);
  });

  it('applies scalar and enum rules to the fields returning them', () => {
    expect(authorize('{ patient(id: "p1") { sex } }', frontDesk).unchanged).toBe(true);
    expect(authorize('{ patient(id: "p1") { sex } }', patientSelf).deniedPaths).toEqual(['patient.sex']);
  });

  it('does not count fields that @skip/@include leave out for these variables', () => {
    const query = `
      query ($withIdentifiers: Boolean!) {
        patient(id: "p1") { name nationalIdentifier @include(if: $withIdentifiers) }
        patients { ...Identity @include(if: $withIdentifiers) }
        other: patients { name @skip(if: true) }
      }
      fragment Identity on Patient { name nationalIdentifier }`;
    const skipped = authorize(query, frontDesk, { withIdentifiers: false });
    expect(skipped.denied).toEqual([]);
    expect(skipped.printed).not.toContain('nationalIdentifier');
    // A skipped selection holding nothing denied stays as written.
    expect(skipped.printed).toContain('name @skip(if: true)');
    const included = authorize(query, frontDesk, { withIdentifiers: true });
    expect(included.deniedPaths).toEqual(['patient.nationalIdentifier', 'patients.nationalIdentifier']);
  });

  it('reads @skip/@include variables with their defaults', () => {
    const query = 'query ($full: Boolean = true) { patient(id: "p1") { name nationalIdentifier @include(if: $full) } }';
    expect(authorize(query, frontDesk).deniedPaths).toEqual(['patient.nationalIdentifier']);
    expect(authorize(query, frontDesk, { full: false }).denied).toEqual([]);
  });

  it('reports a field selected twice at one place once', () => {
    const query = '{ patient(id: "p1") { nationalIdentifier ...Identity } } fragment Identity on Patient { nationalIdentifier }';
    expect(authorize(query, frontDesk).deniedPaths).toEqual(['patient.nationalIdentifier']);
  });

  it('grants @requiresScopes when any one of its lists is fully held', () => {
    const patientsFor = (scopes: string[]) => authorize('{ patients { name } }', caller({ scopes })).denied.length === 0;
    expect(patientsFor(['user/Patient.rs'])).toBe(true);
    expect(patientsFor(['system/Patient.cruds'])).toBe(true);
    expect(patientsFor(['user/*.read'])).toBe(true);
    expect(patientsFor(['user/Patient.s', 'patient/Patient.r'])).toBe(false);
    const birthDateFor = (scopes: string[]) =>
      authorize('{ patient(id: "p1") { birthDate } }', caller({ scopes })).denied.length === 0;
    expect(birthDateFor(['user/Patient.r', 'user/Observation.rs'])).toBe(true);
    expect(birthDateFor(['user/*.rs'])).toBe(true);
    expect(birthDateFor(['user/Patient.rs'])).toBe(false);
  });

  it('grants @policy when every policy of one list holds for the caller', () => {
    const identifierFor = (who: Caller) =>
      authorize('{ patient(id: "p1") { nationalIdentifier } }', who).denied.length === 0;
    expect(identifierFor(clinician)).toBe(true);
    expect(identifierFor(patientSelf)).toBe(true);
    expect(identifierFor(frontDesk)).toBe(false);
    expect(identifierFor(caller({ roles: ['patient'] }))).toBe(false);
    const invoicesFor = (who: Caller) => authorize('{ patient(id: "p1") { invoices { total } } }', who).denied.length === 0;
    expect(invoicesFor(caller({ roles: ['billing_specialist'], purposeOfUse: 'HPAYMT' }))).toBe(true);
    expect(invoicesFor(caller({ roles: ['payer_partner'], organizationId: 'payer-1' }))).toBe(true);
    expect(invoicesFor(clinician)).toBe(false);
  });
});
