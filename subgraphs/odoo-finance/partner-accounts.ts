import type { Queryable } from '../../platform/database/database.ts';
import type { PatientMergeNotice } from '../../platform/events/catalog.ts';
import { archivePatientPartner, createPatientPartner, findPatientPartners, unarchivePatientPartner } from './accounting/patient-partner.ts';
import type { OdooClient } from './odoo/client.ts';
import { SyncStore } from './sync-store.ts';

/** The patient's partner: as linked before, else found by ref, else created; linked either way. */
export async function openPartnerAccount(db: Queryable, odoo: OdooClient, patientId: string): Promise<number> {
  const store = new SyncStore(db);
  const linked = await store.partnerOf(patientId);
  if (linked !== undefined) return linked;
  const [found] = await findPatientPartners(odoo, [patientId]);
  const id = found?.id ?? (await createPatientPartner(odoo, patientId));
  await store.linkPartner(patientId, id);
  return id;
}

/**
 * Withdraws the account an onboarding opened: the partner is archived in Odoo (never deleted: it
 * may carry messages) and unlinked, so a later onboarding opens one afresh. Answers the partner
 * id, or null when the patient had none.
 */
export async function withdrawPartnerAccount(db: Queryable, odoo: OdooClient, patientId: string): Promise<number | null> {
  const store = new SyncStore(db);
  const partnerId = await existingPartnerOf(db, odoo, patientId);
  if (partnerId === undefined) return null;
  await archivePatientPartner(odoo, partnerId);
  await store.unlinkPartner(patientId);
  return partnerId;
}

/** The patient's partner, as linked or found by ref; undefined when Odoo has none. */
async function existingPartnerOf(db: Queryable, odoo: OdooClient, patientId: string): Promise<number | undefined> {
  return (await new SyncStore(db).partnerOf(patientId)) ?? (await findPatientPartners(odoo, [patientId]))[0]?.id;
}

/**
 * A merged patient's account is archived in Odoo and kept linked to the patient, with the merge
 * recorded: the survivor's partner takes what is invoiced from now on. A replay archives again,
 * which Odoo takes as a no-op.
 */
export async function archiveMergedPartner(db: Queryable, odoo: OdooClient, merge: PatientMergeNotice): Promise<void> {
  const partnerId = await existingPartnerOf(db, odoo, merge.patientId);
  if (partnerId === undefined) return;
  await archivePatientPartner(odoo, partnerId);
  await new SyncStore(db).linkPartner(merge.patientId, partnerId);
  await db.query(
    'INSERT INTO merged_partner (merge_id, patient_id, survivor_patient_id, odoo_partner_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [merge.mergeId, merge.patientId, merge.survivorId, partnerId],
  );
}

/** Unmerge: the account the merge archived is in use again. */
export async function restoreMergedPartner(db: Queryable, odoo: OdooClient, merge: PatientMergeNotice): Promise<void> {
  const [archived] = await db.query<{ odoo_partner_id: number }>('SELECT odoo_partner_id FROM merged_partner WHERE merge_id = $1', [merge.mergeId]);
  if (!archived) return;
  await unarchivePatientPartner(odoo, archived.odoo_partner_id);
  await db.query('DELETE FROM merged_partner WHERE merge_id = $1', [merge.mergeId]);
}
