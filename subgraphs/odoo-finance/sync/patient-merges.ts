import { mergeUndone, repointPatientReferences, restorePatientReferences, type PatientReference } from '../../../platform/events/patient-references.ts';
import { reactionToEach, type Reaction } from '../../../platform/events/reaction.ts';
import type { OdooClient } from '../odoo/client.ts';
import { archiveMergedPartner, restoreMergedPartner } from '../partner-accounts.ts';

export const ODOO_PATIENT_MERGES_GROUP = 'odoo-finance-patient-merges';

/** The records here that name a patient and follow a merge; a mismatch is found again by the next run. */
const references: readonly PatientReference[] = [
  { table: 'invoice_link', key: 'invoice_id' },
  { table: 'front_office_task', key: 'odoo_activity_id' },
];

/**
 * A data steward's merges, followed here and in Odoo: the merged patient's invoices and tasks
 * become the survivor's, and its partner is archived (Odoo 17's merge of contacts,
 * base.partner.merge.automatic.wizard, deletes the merged partner, which an unmerge would need; an
 * archived one keeps its invoices and history). An unmerge points them back and unarchives the partner. Odoo is called inside the
 * transaction that records the event handled: a failure rolls back and the event is retried.
 */
export const patientMergesInOdoo = (odoo: OdooClient): Reaction =>
  reactionToEach(ODOO_PATIENT_MERGES_GROUP, {
    'org.healthgraph.patient.merged.v1': async (tx, merge) => {
      if (!(await repointPatientReferences(tx, references, merge))) return mergeUndone;
      await archiveMergedPartner(tx, odoo, merge);
    },
    'org.healthgraph.patient.unmerged.v1': async (tx, merge) => {
      await restorePatientReferences(tx, references, merge);
      await restoreMergedPartner(tx, odoo, merge);
    },
  });
