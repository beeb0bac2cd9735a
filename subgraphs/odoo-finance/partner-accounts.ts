import type { Queryable } from '../../platform/database/database.ts';
import { archivePatientPartner, createPatientPartner, findPatientPartners } from './accounting/patient-partner.ts';
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
  const partnerId = (await store.partnerOf(patientId)) ?? (await findPatientPartners(odoo, [patientId]))[0]?.id;
  if (partnerId === undefined) return null;
  await archivePatientPartner(odoo, partnerId);
  await store.unlinkPartner(patientId);
  return partnerId;
}
