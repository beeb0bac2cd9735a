import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';

/** The records the matrix reads: one patient with a payer's coverage, and its appointment, claim and invoice. */
export interface MatrixRecords {
  patient: string;
  payer: string;
  appointment: string;
  claim: string;
  invoice: string;
}

/** Every shipped role, with its default scopes and purpose, bound where the role needs a binding. */
export const matrixCallers = (records: MatrixRecords): Array<[string, TokenRequest]> => [
  ['patient', { role: 'patient', patient: records.patient }],
  ['clinician', { role: 'clinician' }],
  ['front_desk', { role: 'front_desk' }],
  ['billing_specialist', { role: 'billing_specialist' }],
  ['payer_partner', { role: 'payer_partner', organization: records.payer }],
  ['odoo_service', { role: 'odoo_service' }],
  ['data_steward', { role: 'data_steward' }],
  ['onboarding_service', { role: 'onboarding_service' }],
  ['auditor', { role: 'auditor' }],
  ['operations', { role: 'operations' }],
  ['admin', { role: 'admin' }],
];

/** Every field of Patient, Appointment, Claim and Invoice, each entity read by id. */
export const MATRIX_QUERY = /* GraphQL */ `
  query AccessMatrix($patient: ID!, $appointment: ID!, $claim: ID!, $invoice: ID!) {
    patient(id: $patient) {
      id mrn identifiers { system value type } nationalIdentifier name { family given text } birthDate gender
      telecom { system value use } address { line city state postalCode country }
      coverages { id memberId plan status } consents { id category decision status } registeredAt
      appointments { id } balance { value currency } claims { id } invoices { id }
    }
    appointment(id: $appointment) {
      id status start end serviceType reason cancellationReason bookedAt
      practitioner { id } location { id } slot { id } patient { id } charges { id }
    }
    claim(id: $claim) {
      id status memberId total { value } approvedAmount { value } denialReason createdAt submittedAt adjudicatedAt
      payer { id } patient { id } charges { id }
    }
    invoice(id: $invoice) {
      id number status total { value } paid { value } balance { value } issuedAt dueDate
      lines { description } payments { id } patient { id }
    }
  }
`;
