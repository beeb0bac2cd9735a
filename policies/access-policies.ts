import type { Caller } from '../platform/caller.ts';
import type { PurposeOfUse, RoleName } from './roles.ts';

/**
 * What each `@policy` name in the schema means, as a predicate over the verified caller.
 * The gateway decides from the caller alone; rules that need the row (a patient sees only their
 * own record, a payer only its members) are enforced again in the subgraphs.
 */
export interface AccessPolicy {
  description: string;
  allows(caller: Caller): boolean;
}

export type AccessPolicies = Readonly<Record<string, AccessPolicy>>;

const holdsRole = (caller: Caller, roles: readonly RoleName[]) =>
  caller.roles.some((role) => (roles as readonly string[]).includes(role));

const forRoles = (description: string, roles: readonly RoleName[]): AccessPolicy => ({
  description,
  allows: (caller) => holdsRole(caller, roles),
});

const forPurposes = (description: string, purposes: readonly PurposeOfUse[]): AccessPolicy => ({
  description,
  allows: (caller) => (purposes as readonly string[]).includes(caller.purposeOfUse ?? ''),
});

export const accessPolicies = {
  own_patient: {
    description: 'A patient bound to one patient record; the subgraph narrows the rows to that record.',
    allows: (caller) => holdsRole(caller, ['patient']) && Boolean(caller.patientId),
  },
  payer_member: {
    description: 'A payer partner acting for its organisation; the subgraph narrows the rows to its members.',
    allows: (caller) => holdsRole(caller, ['payer_partner']) && Boolean(caller.organizationId),
  },
  purpose_treatment: forPurposes('Acting for treatment, emergency treatment included (TREAT, ETREAT).', ['TREAT', 'ETREAT']),
  purpose_payment: forPurposes('Acting for payment (HPAYMT).', ['HPAYMT']),
  purpose_operations: forPurposes('Acting for healthcare operations (HOPERAT).', ['HOPERAT']),
  onboarding_desk: forRoles('Who starts and follows patient onboardings: the front desk, the onboarding workflow itself, or an administrator.', ['front_desk', 'onboarding_service', 'admin']),
  onboarding_follow_up: forRoles(
    'Who follows the onboardings waiting on a person or failed: the front desk (the person they mostly wait on), the operations team, or an administrator. Ids and states only.',
    ['front_desk', 'operations', 'admin'],
  ),
  onboarding_workflow: forRoles('The onboarding workflow, waiting for the consent the patient gives in the portal.', ['onboarding_service']),
  odoo_connector: forRoles('The Odoo finance modules, telling the graph what changed in Odoo.', ['odoo_service']),
  staff: forRoles('A member of staff: clinician, front desk, billing specialist, data steward or admin.', [
    'clinician',
    'front_desk',
    'billing_specialist',
    'data_steward',
    'admin',
  ]),
  data_steward: forRoles('A data steward of the patient registry, or an administrator.', ['data_steward', 'admin']),
  auditor: forRoles('An auditor reviewing who accessed what.', ['auditor']),
  operations: forRoles('The operations team, or an administrator: operational state and the recovery actions, no patient demographics.', ['operations', 'admin']),
  admin: forRoles('An administrator of the platform.', ['admin']),
} satisfies AccessPolicies;
