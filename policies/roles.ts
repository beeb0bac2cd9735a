/**
 * The roles a caller can hold, as governance data. The embedded issuer stamps these defaults into
 * the tokens it issues; a real identity provider is expected to issue the same names and scopes.
 *
 * Scopes follow SMART App Launch v2: `<context>/<Resource>.<c r u d s>`, where the context is
 * `patient` (a patient-facing app bound to one patient), `user` (staff acting with their own
 * rights) or `system` (a service acting on its own behalf).
 */

/** HL7 v3 PurposeOfUse codes the graph understands. */
export const purposesOfUse = {
  TREAT: 'treatment',
  ETREAT: 'emergency treatment (break the glass)',
  PATRQT: 'requested by the patient themselves',
  HOPERAT: 'healthcare operations: scheduling, registration, front office',
  HPAYMT: 'payment: billing, claims, coverage, reconciliation',
  HRESCH: 'healthcare research',
  PUBHLTH: 'public health reporting',
  HCOMPL: 'compliance review, including audit of access',
  HSYSADMIN: 'system administration',
} as const;
export type PurposeOfUse = keyof typeof purposesOfUse;

export interface RolePolicy {
  description: string;
  defaultScopes: readonly string[];
  defaultPurposeOfUse: PurposeOfUse;
  /** The OAuth client a token for this role is issued to when none is named. */
  defaultClientId: string;
  /** What a token for this role must be bound to: the patient or the partner organisation it acts for. */
  bindsTo?: 'patient' | 'organization';
}

const roleTable = {
  patient: {
    description: 'A patient using the portal or mobile app, seeing and booking only their own care.',
    defaultScopes: [
      'patient/Patient.rs', 'patient/Appointment.crus', 'patient/Slot.rs', 'patient/Coverage.rs', 'patient/Consent.crs',
      'patient/ChargeItem.rs', 'patient/Claim.rs', 'patient/Invoice.rs', 'patient/PaymentReconciliation.crs',
    ],
    defaultPurposeOfUse: 'PATRQT',
    defaultClientId: 'portal',
    bindsTo: 'patient',
  },
  clinician: {
    description: 'A practitioner treating patients: reads charts, manages appointments and encounters.',
    defaultScopes: [
      'user/Patient.rs', 'user/Appointment.cruds', 'user/Slot.rs', 'user/Encounter.crus', 'user/Coverage.rs', 'user/Consent.rs',
      'user/ChargeItem.crs',
    ],
    defaultPurposeOfUse: 'TREAT',
    defaultClientId: 'portal-staff',
  },
  front_desk: {
    description: 'Front office staff: registers patients, books and reschedules appointments.',
    defaultScopes: [
      'user/Patient.crus', 'user/Appointment.cruds', 'user/Slot.cruds', 'user/Coverage.crus', 'user/Consent.crs',
      'user/ChargeItem.rs', 'user/Invoice.rs', 'user/PaymentReconciliation.crs',
    ],
    defaultPurposeOfUse: 'HOPERAT',
    defaultClientId: 'portal-staff',
  },
  billing_specialist: {
    description: 'Billing staff: prepares invoices and claims, follows payments.',
    defaultScopes: [
      'user/Patient.rs', 'user/Coverage.rs', 'user/Appointment.rs', 'user/ChargeItem.cruds', 'user/Claim.cruds', 'user/Invoice.cruds',
      'user/PaymentReconciliation.crus',
    ],
    defaultPurposeOfUse: 'HPAYMT',
    defaultClientId: 'portal-staff',
  },
  payer_partner: {
    description: 'A payer organisation: sees coverage and claims of its own members only.',
    defaultScopes: [
      'system/Patient.rs', 'system/Coverage.rs', 'system/Appointment.rs', 'system/ChargeItem.rs', 'system/Claim.rus',
      'system/PaymentReconciliation.rs',
      // FHIR Subscription: registering and managing its own webhook endpoints.
      'system/Subscription.crus',
    ],
    defaultPurposeOfUse: 'HPAYMT',
    defaultClientId: 'partner',
    bindsTo: 'organization',
  },
  odoo_service: {
    // Least privilege: the scopes of the calls Odoo makes, its report mutations (which take only an
    // id and re-read the record from Odoo) and the invoice, payment and task they answer; nothing
    // that moves money or reads a patient's record.
    description: 'The Odoo finance modules reporting changes made in Odoo, with a service identity.',
    defaultScopes: ['system/Invoice.rs', 'system/PaymentReconciliation.rs', 'system/Task.r'],
    defaultPurposeOfUse: 'HPAYMT',
    defaultClientId: 'odoo',
  },
  data_steward: {
    // Compares the records of possible duplicates to decide on them: demographics as the front desk
    // sees them, no clinical or financial data.
    description: 'Keeps the patient registry free of duplicates: reviews possible duplicates and decides on them.',
    defaultScopes: ['user/Patient.rs'],
    defaultPurposeOfUse: 'HOPERAT',
    defaultClientId: 'portal-staff',
  },
  onboarding_service: {
    // Least privilege: the calls the onboarding workflow's steps make (workflows/onboarding/), and
    // the reads their answers need; it acts for healthcare operations, payment steps for payment.
    description: 'The onboarding workflow: finds the patient in the index or registers them, adds the coverage, books, opens the account in Odoo and gives the front office tasks.',
    defaultScopes: [
      'system/Patient.crs', 'system/Coverage.crs', 'system/Consent.rs', 'system/Slot.rs', 'system/Appointment.cru',
      'system/Task.cru', 'system/Account.cu', 'system/Invoice.r',
    ],
    defaultPurposeOfUse: 'HOPERAT',
    defaultClientId: 'workflows',
  },
  auditor: {
    description: 'Compliance staff reviewing who accessed what, without clinical write access.',
    defaultScopes: ['user/AuditEvent.rs', 'user/Patient.rs'],
    defaultPurposeOfUse: 'HCOMPL',
    defaultClientId: 'portal-staff',
  },
  operations: {
    // What the operations console needs: each service's state, dependencies, flows and dead letters
    // (FHIR Endpoint: the technical side of the services), and the partners' webhook endpoints
    // (Subscription). No Patient, Invoice or clinical scope: it sees ids, never demographics.
    description: 'The operations team: sees what is stuck or degraded and runs the recovery actions (replays, retries, reconciliation).',
    defaultScopes: ['user/Endpoint.rsu', 'user/Subscription.rsu'],
    defaultPurposeOfUse: 'HSYSADMIN',
    defaultClientId: 'portal-staff',
  },
  admin: {
    description: 'System administrators of the graph.',
    defaultScopes: ['user/*.cruds'],
    defaultPurposeOfUse: 'HSYSADMIN',
    defaultClientId: 'portal-staff',
  },
} satisfies Record<string, RolePolicy>;

export type RoleName = keyof typeof roleTable;
export const roles: Readonly<Record<RoleName, RolePolicy>> = roleTable;
export const roleNames = Object.keys(roles) as RoleName[];

export function isRoleName(name: string): name is RoleName {
  return Object.hasOwn(roles, name);
}
