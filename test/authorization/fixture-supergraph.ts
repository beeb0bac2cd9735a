import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { Caller } from '../../platform/caller.ts';

const federation = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])`;

/**
 * Patients: rules on fields, a type, a scalar and an enum; interfaces whose implementations are
 * guarded (composition copies their rules onto the interface and its fields); a union.
 */
export const patientsTypeDefs = `${federation}
type Query {
  patient(id: ID!): Patient @authenticated
  patients: [Patient!]! @requiresScopes(scopes: [["user/Patient.r"], ["system/Patient.r"]])
  search(text: String!): [SearchResult!]! @policy(policies: [["staff"]])
  node(id: ID!): Node
  careParticipants: [CareParticipant!]! @authenticated
  serverVersion: String
}
interface Node { id: ID! }
interface CareParticipant { id: ID! name: String phone: String }
type Patient implements Node & CareParticipant @key(fields: "id") {
  id: ID!
  name: String
  phone: String
  birthDate: String @requiresScopes(scopes: [["user/Patient.r", "user/Observation.r"]])
  nationalIdentifier: String @policy(policies: [["staff", "purpose_treatment"], ["own_patient"]])
  medicalRecordNumber: String! @policy(policies: [["staff"]])
  socialSecurityNumber: SocialSecurityNumber
  sex: AdministrativeSex
  note: ClinicalNote
  careTeam: [Practitioner!]
}
type ClinicalNote @policy(policies: [["purpose_treatment"]]) { text: String author: Practitioner }
type Practitioner implements Node & CareParticipant @key(fields: "id") {
  id: ID!
  name: String
  phone: String @policy(policies: [["staff"]])
  licence: String @policy(policies: [["admin"]])
}
type AccessLog implements Node @policy(policies: [["auditor"]]) { id: ID! actor: String }
union SearchResult = Patient | Practitioner | AccessLog
scalar SocialSecurityNumber @policy(policies: [["admin"]])
enum AdministrativeSex @requiresScopes(scopes: [["user/Patient.r"]]) { male female other unknown }
`;

/** Billing: extends Patient with guarded fields, and a guarded mutation. */
export const billingTypeDefs = `${federation}
type Query { invoice(id: ID!): Invoice @requiresScopes(scopes: [["user/Invoice.r"]]) }
type Mutation { voidInvoice(id: ID!): Invoice @policy(policies: [["purpose_operations"], ["admin"]]) }
type Patient @key(fields: "id") {
  id: ID!
  invoices: [Invoice!] @policy(policies: [["purpose_payment"], ["payer_member"]])
  balance: Float @requiresScopes(scopes: [["user/Invoice.r"]])
}
type Invoice @key(fields: "id") { id: ID! total: Float status: String }
`;

export function composeFixture(urls = { patients: 'http://patients.invalid', billing: 'http://billing.invalid' }): string {
  const result = composeServices([
    { name: 'patients', url: urls.patients, typeDefs: parse(patientsTypeDefs) },
    { name: 'billing', url: urls.billing, typeDefs: parse(billingTypeDefs) },
  ]);
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

export const caller = (overrides: Partial<Caller> = {}): Caller => ({
  subject: 'user-1',
  clientId: 'portal',
  roles: [],
  scopes: [],
  expiresAt: 4_102_444_800,
  ...overrides,
});

export const clinician = caller({ roles: ['clinician'], scopes: ['user/Patient.rs'], purposeOfUse: 'TREAT' });
export const frontDesk = caller({ roles: ['front_desk'], scopes: ['user/Patient.r'], purposeOfUse: 'HOPERAT' });
export const patientSelf = caller({ roles: ['patient'], scopes: ['patient/Patient.rs'], patientId: 'p1' });
