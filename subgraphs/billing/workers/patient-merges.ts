import { patientMergeReaction } from '../../../platform/events/patient-references.ts';

/**
 * A merged patient's charges, claims, invoices and the appointments billing heard of become the
 * survivor's, and theirs again on unmerge. Payments follow their invoice.
 */
export const patientMerges = patientMergeReaction('billing-patient-merges', [
  { table: 'charge', key: 'id' },
  { table: 'claim', key: 'id' },
  { table: 'invoice', key: 'id' },
  { table: 'billable_appointment', key: 'appointment_id' },
]);
