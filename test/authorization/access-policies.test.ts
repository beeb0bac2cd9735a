import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { callerRightsFor } from '../../platform/authorization/caller-rights.ts';
import { authorizationPlugin } from '../../gateway/authorization/authorization-plugin.ts';
import { readSupergraphSecurity } from '../../gateway/authorization/security-directives.ts';
import { accessPolicies } from '../../policies/access-policies.ts';
import { caller } from './fixture-supergraph.ts';

const cases: Array<[keyof typeof accessPolicies, Parameters<typeof caller>[0], Parameters<typeof caller>[0]]> = [
  ['own_patient', { roles: ['patient'], patientId: 'p1' }, { roles: ['patient'] }],
  ['payer_member', { roles: ['payer_partner'], organizationId: 'payer-1' }, { roles: ['payer_partner'] }],
  ['purpose_treatment', { purposeOfUse: 'ETREAT' }, { purposeOfUse: 'HPAYMT' }],
  ['purpose_payment', { purposeOfUse: 'HPAYMT' }, { purposeOfUse: 'TREAT' }],
  ['purpose_operations', { purposeOfUse: 'HOPERAT' }, {}],
  ['staff', { roles: ['front_desk'] }, { roles: ['patient', 'auditor'] }],
  ['auditor', { roles: ['auditor'] }, { roles: ['admin'] }],
  ['admin', { roles: ['admin'] }, { roles: ['clinician'] }],
];

describe('access policies', () => {
  it.each(cases)('%s allows the caller it describes and no other', (name, allowed, refused) => {
    expect(accessPolicies[name].allows(caller(allowed))).toBe(true);
    expect(accessPolicies[name].allows(caller(refused))).toBe(false);
  });

  it('refuses at startup a supergraph naming a policy nobody defined', () => {
    const { supergraphSdl, errors } = composeServices([
      {
        name: 'patients',
        url: 'http://patients.invalid',
        typeDefs: parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@policy"])
          type Query { patient: String @policy(policies: [["staff"], ["break_glass"]]) }`),
      },
    ]);
    expect(errors).toBeUndefined();
    const sdl = supergraphSdl as string;
    expect(() => callerRightsFor(readSupergraphSecurity(sdl), accessPolicies)).toThrow(/break_glass/);
    expect(() => authorizationPlugin({ supergraphSdl: sdl, policies: accessPolicies })).toThrow(/break_glass/);
  });
});
