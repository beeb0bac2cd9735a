/**
 * Which of the graph's object types are a patient's data, as governance data: declared once, read
 * by the gateway's access records (a field denied on, or below, one of these is a denied attempt
 * at patient data) and by the tests that keep the list whole. A test fails when the supergraph
 * has an object type listed in neither list, so a new type is classified when it is added.
 */

/** Every object of these types belongs to one patient: its record, care, money or trail. */
export const patientOwnedTypes: ReadonlySet<string> = new Set([
  'Patient',
  // One patient found by a search, with its cursor.
  'PatientEdge',
  // A registered patient found by the matcher, with its score.
  'PatientMatch',
  // Two patients' records that may be one person.
  'MatchReview',
  // Two records of one person, merged by a data steward.
  'PatientMerge',
  'Coverage',
  'Consent',
  'Appointment',
  'Charge',
  'Claim',
  'Invoice',
  'InvoiceLine',
  'Payment',
  'EligibilityResult',
  'FinancialAccount',
  'OdooInvoice',
  'OdooInvoiceLine',
  'OdooPayment',
  'OdooPartner',
  'ReconciliationMismatch',
  // A task about one patient, on their account in Odoo.
  'FrontOfficeTask',
  // One patient's onboarding (workflows): its steps and the ids of what it made.
  'Onboarding',
  // One patient's onboarding in a list: its status and the patient's id.
  'OnboardingListing',
  // Who looked at a patient's record is about that patient.
  'AuditEvent',
]);

/**
 * Types that are nobody's in themselves: the organisation's reference data and partners'
 * configuration, and values (names, money, periods, pages) that are a patient's exactly when
 * reached under a patient-owned object.
 */
export const otherTypes: ReadonlySet<string> = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'Practitioner',
  'Location',
  'Schedule',
  'AvailableTime',
  'PlanningHorizon',
  'Slot',
  'Payer',
  'FeeScheduleEntry',
  'WebhookEndpoint',
  'WebhookDelivery',
  'WebhookDeliveryAttempt',
  'WebhookDeliveryLog',
  'HumanName',
  'Identifier',
  'ContactPoint',
  'Address',
  'Period',
  'Money',
  'PageInfo',
  'PatientConnection',
  'MatchFieldAgreement',
  // A step of an onboarding: a name, a status, a time and a code.
  'OnboardingStep',
  // A page of onboarding listings, with its cursor.
  'OnboardingList',
  // Operational state (schema/operations.graphql, the Odoo sync's and reconciliation's): ids, codes and counts only.
  'ServiceOperations',
  'DependencyHealth',
  'ConsumerGroupState',
  'DeadLetter',
  'DeadLetterReplay',
  'FlowStatus',
  'SpanSummary',
  'OdooHealth',
  'OdooInvoiceSync',
  'ReconciliationRun',
  'AuditAction',
]);
