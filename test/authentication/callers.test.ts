import { createLocalJWKSet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../platform/caller.ts';
import { createAuthenticator, type Authenticate } from '../../gateway/authentication/authenticator.ts';
import { callerFromClaims } from '../../gateway/authentication/caller-claims.ts';
import { openEmbeddedIssuer, type EmbeddedIssuer, type TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import { createTokenVerifier } from '../../gateway/authentication/token-verifier.ts';
import { roleNames } from '../../policies/roles.ts';
import { suiteDataDir } from './helpers.ts';

let issuer: EmbeddedIssuer;
let authenticate: Authenticate;

beforeAll(async () => {
  issuer = await openEmbeddedIssuer({ dataDir: await suiteDataDir() });
  authenticate = createAuthenticator(createTokenVerifier({ keys: createLocalJWKSet(issuer.jwks), issuer: issuer.issuer, audience: issuer.audience }));
});

const callerOf = async (request: TokenRequest) => authenticate(`Bearer ${await issuer.issueToken(request)}`);

const expectedCallers: Record<string, [TokenRequest, Partial<Caller>]> = {
  patient: [
    { role: 'patient', patient: 'pat-0001' },
    { subject: 'demo-patient-pat-0001', clientId: 'portal', patientId: 'pat-0001', purposeOfUse: 'PATRQT', scopes: expect.arrayContaining(['patient/Patient.rs', 'patient/Appointment.crus']) },
  ],
  clinician: [{ role: 'clinician' }, { clientId: 'portal-staff', purposeOfUse: 'TREAT', scopes: expect.arrayContaining(['user/Patient.rs']) }],
  front_desk: [{ role: 'front_desk' }, { clientId: 'portal-staff', purposeOfUse: 'HOPERAT', scopes: expect.arrayContaining(['user/Appointment.cruds']) }],
  billing_specialist: [{ role: 'billing_specialist' }, { clientId: 'portal-staff', purposeOfUse: 'HPAYMT', scopes: expect.arrayContaining(['user/Invoice.cruds']) }],
  payer_partner: [
    { role: 'payer_partner', organization: 'pay-01' },
    { clientId: 'partner', organizationId: 'pay-01', purposeOfUse: 'HPAYMT', scopes: expect.arrayContaining(['system/Coverage.rs']) },
  ],
  odoo_service: [{ role: 'odoo_service' }, { clientId: 'odoo', purposeOfUse: 'HPAYMT', scopes: ['system/Invoice.rs', 'system/PaymentReconciliation.rs', 'system/Task.r'] }],
  data_steward: [{ role: 'data_steward' }, { clientId: 'portal-staff', purposeOfUse: 'HOPERAT', scopes: ['user/Patient.rs'] }],
  onboarding_service: [
    { role: 'onboarding_service' },
    {
      clientId: 'workflows',
      purposeOfUse: 'HOPERAT',
      scopes: ['system/Patient.crs', 'system/Coverage.crs', 'system/Consent.rs', 'system/Slot.rs', 'system/Appointment.cru', 'system/Task.cru', 'system/Account.cu', 'system/Invoice.r'],
    },
  ],
  auditor: [{ role: 'auditor' }, { clientId: 'portal-staff', purposeOfUse: 'HCOMPL', scopes: expect.arrayContaining(['user/AuditEvent.rs']) }],
  operations: [{ role: 'operations' }, { clientId: 'portal-staff', purposeOfUse: 'HSYSADMIN', scopes: ['user/Endpoint.rsu', 'user/Subscription.rsu'] }],
  admin: [{ role: 'admin' }, { clientId: 'portal-staff', purposeOfUse: 'HSYSADMIN', scopes: ['user/*.cruds'] }],
};

describe('a valid token from each role', () => {
  it('covers every role in the policy', () => {
    expect(Object.keys(expectedCallers).sort()).toEqual([...roleNames].sort());
  });

  it.each(Object.entries(expectedCallers))('%s', async (role, [request, expected]) => {
    const caller = await callerOf(request);
    expect(caller).toMatchObject({ roles: [role], ...expected });
    expect(caller?.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('carries what the request overrides', async () => {
    const caller = await callerOf({ role: 'clinician', subject: 'dr-who', client: 'mobile', purpose: 'ETREAT', scopes: ['user/Patient.r'] });
    expect(caller).toMatchObject({ subject: 'dr-who', clientId: 'mobile', purposeOfUse: 'ETREAT', scopes: ['user/Patient.r'] });
  });
});

describe('the embedded issuer refuses', () => {
  it.each([
    [{ role: 'nurse' }, /Unknown role "nurse"; the roles are: patient, clinician/],
    [{ role: 'patient' }, /bound to a patient/],
    [{ role: 'payer_partner' }, /bound to an organization/],
    [{ role: 'clinician', purpose: 'MARKETING' }, /Unknown purpose of use/],
  ])('%o', async (request, message) => {
    await expect(issuer.issueToken(request)).rejects.toThrow(message);
  });
});

describe('claims as other identity providers spell them', () => {
  const base = { sub: 's', exp: 2_000_000_000 };

  it('reads Keycloak realm roles and azp, Azure scp and a SMART fhirUser', () => {
    const caller = callerFromClaims({
      ...base,
      azp: 'kc-portal',
      realm_access: { roles: ['clinician'] },
      scp: 'user/Patient.rs user/Slot.rs',
      fhirUser: 'https://fhir.example/Patient/pat-7',
      org_id: 'org-3',
    });
    expect(caller).toEqual({
      subject: 's', clientId: 'kc-portal', roles: ['clinician'], scopes: ['user/Patient.rs', 'user/Slot.rs'],
      patientId: 'pat-7', organizationId: 'org-3', purposeOfUse: undefined, expiresAt: 2_000_000_000,
    });
  });

  it('reads scp as an array and binds no patient to a practitioner', () => {
    const caller = callerFromClaims({ ...base, client_id: 'c', scp: ['system/Invoice.rs'], fhirUser: 'Practitioner/pr-1' });
    expect(caller).toMatchObject({ scopes: ['system/Invoice.rs'], roles: [], patientId: undefined });
  });

  it.each([
    ['sub', { exp: base.exp, client_id: 'c' }],
    ['client_id', base],
    ['roles', { ...base, client_id: 'c', roles: [1] }],
    ['realm_access', { ...base, client_id: 'c', realm_access: 'admin' }],
    ['scope', { ...base, client_id: 'c', scope: ['user/Patient.rs'] }],
    ['patient', { ...base, client_id: 'c', patient: { id: 'p' } }],
  ])('refuses a malformed %s', (claim, claims) => {
    expect(() => callerFromClaims(claims)).toThrowError(expect.objectContaining({ extensions: expect.objectContaining({ reason: 'MALFORMED_CLAIMS', claim }) }));
  });
});
