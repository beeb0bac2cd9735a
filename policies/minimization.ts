import type { PurposeOfUse, RoleName } from './roles.ts';

/**
 * Data minimization as governance data: what each role, and each purpose of use, sees of a
 * patient's demographics. Authorization (access-policies.ts) decides whether a field is read at
 * all; these rules decide the form in which a field that is read reaches the caller.
 *
 * How a caller's rule set is made (platform/authorization/minimization-rules.ts):
 * 1. take the rules of every role the caller holds and the rules of their purpose of use;
 * 2. where several rules name the same field (same coordinate, `via` and `when`), the strictest
 *    transform wins, in the order of `transformsByStrictness`;
 * 3. a role or purpose without rules adds nothing and so never loosens another's rule: a
 *    clinician acting for payment (HPAYMT) sees what HPAYMT allows;
 * 4. a caller holding none of the roles in policies/roles.ts (anonymous included) gets
 *    `withoutKnownRole`, so an unexpected token fails closed.
 */

/**
 * The transforms, loosest first. Each keeps the field's GraphQL type:
 * - `year`: a Date to its year, "1980-04-12" to "1980";
 * - `postal_prefix3`: a postal code to its first three characters, "62704" to "627";
 * - `last4`: an identifier masked but for its last four characters, "123-45-6789" to "***-**-6789";
 * - `initials`: each word of a name to its initial, "John Doe" to "J. D.";
 * - `mask`: the value withheld, for a non-null String that `redact` cannot null: "***";
 * - `redact`: the value withheld as null; only for nullable fields.
 */
export const transformsByStrictness = ['year', 'postal_prefix3', 'last4', 'initials', 'mask', 'redact'] as const;
export type Transform = (typeof transformsByStrictness)[number];

export interface MinimizationRule {
  /** The field minimized, as an object type's schema coordinate: `Patient.birthDate`. */
  coordinate: string;
  transform: Transform;
  /**
   * Only where the parent object was reached through this field: HumanName is shared by
   * Patient.name and Practitioner.name, and only the patient's name is minimized.
   */
  via?: string;
  /**
   * Only where a sibling field has this value: an Identifier's value when its type is NI. Where
   * the sibling was not selected, the rule applies: not knowing fails closed.
   */
  when?: { field: string; equals: string };
}

export interface MinimizationPolicy {
  byRole: Partial<Record<RoleName, readonly MinimizationRule[]>>;
  byPurpose: Partial<Record<PurposeOfUse, readonly MinimizationRule[]>>;
  withoutKnownRole: readonly MinimizationRule[];
}

const rule = (coordinate: string, transform: Transform, scope: Pick<MinimizationRule, 'via' | 'when'> = {}): MinimizationRule => ({
  coordinate,
  transform,
  ...scope,
});

const nationalIdentifierEntry = { via: 'Patient.identifiers', when: { field: 'type', equals: 'NI' } };

const birthYear = [rule('Patient.birthDate', 'year')];
const nameInitials = ['family', 'given', 'text'].map((field) => rule(`HumanName.${field}`, 'initials', { via: 'Patient.name' }));
const nationalIdentifierLast4 = [
  rule('Patient.nationalIdentifier', 'last4'),
  rule('Identifier.value', 'last4', nationalIdentifierEntry),
];
const nationalIdentifierWithheld = [
  rule('Patient.nationalIdentifier', 'redact'),
  rule('Identifier.value', 'mask', nationalIdentifierEntry),
];
const telecomWithheld = [rule('ContactPoint.value', 'mask', { via: 'Patient.telecom' })];
const addressToArea = [
  rule('Address.line', 'mask', { via: 'Patient.address' }),
  rule('Address.city', 'mask', { via: 'Patient.address' }),
  rule('Address.postalCode', 'postal_prefix3', { via: 'Patient.address' }),
];

/** Enough to tell one patient record from another, nothing to contact or locate them by. */
const recordReview = [...birthYear, ...nameInitials, ...nationalIdentifierWithheld, ...telecomWithheld, ...addressToArea];

/** Research and analytics: no record number or identifier of any kind either. */
const deidentified = [
  ...birthYear,
  ...nameInitials,
  rule('Patient.nationalIdentifier', 'redact'),
  rule('Patient.mrn', 'mask'),
  rule('Identifier.value', 'mask', { via: 'Patient.identifiers' }),
  ...telecomWithheld,
  ...addressToArea,
];

export const minimizationPolicy: MinimizationPolicy = {
  byRole: {
    // patient (their own record) and clinician: nothing minimized by role.
    front_desk: nationalIdentifierLast4,
    billing_specialist: nationalIdentifierLast4,
    data_steward: nationalIdentifierLast4,
    payer_partner: [...birthYear, ...nameInitials, ...nationalIdentifierWithheld, ...telecomWithheld],
    odoo_service: [...birthYear, ...nationalIdentifierWithheld],
    // Name and birth date whole: it matches the patient index by them (a certain match by every field
    // it asks as registration would, see subgraphs/patients/search.ts); nothing to contact or locate.
    onboarding_service: [...nationalIdentifierWithheld, ...telecomWithheld, ...addressToArea],
    auditor: recordReview,
    admin: recordReview,
  },
  byPurpose: {
    // TREAT, ETREAT and PATRQT: nothing minimized by purpose.
    HOPERAT: nationalIdentifierLast4,
    HPAYMT: nationalIdentifierLast4,
    HRESCH: deidentified,
    PUBHLTH: nationalIdentifierWithheld,
    HCOMPL: recordReview,
    HSYSADMIN: recordReview,
  },
  withoutKnownRole: deidentified,
};
