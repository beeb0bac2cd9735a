import type { OdooClient } from '../odoo/client.ts';

const PARTNER = 'res.partner';

/** A patient's customer account in Odoo: a partner whose reference is the patient id. */
export interface PatientPartner {
  id: number;
  /** The patient id. */
  ref: string;
}

export async function findPatientPartners(odoo: OdooClient, patientIds: readonly string[]): Promise<PatientPartner[]> {
  const records = await odoo.searchRead(PARTNER, [['ref', 'in', [...patientIds]]], { fields: ['ref'], order: 'id' });
  return records.map((record) => ({ id: record.id, ref: String(record.ref) }));
}

/**
 * Named by the patient id: Odoo wants a name, and the event the sync works from carries none. A
 * deployment that wants names on Odoo's documents would read them through the graph with a service
 * identity, where authorization and minimization apply, and keep them out of events and logs.
 * Odoo ranks the partner a customer itself when their first invoice is posted.
 */
export const createPatientPartner = (odoo: OdooClient, patientId: string) => odoo.create(PARTNER, { name: patientId, ref: patientId });

/** Withdraws the account (archives the partner): what undoing an onboarding, or a merge of the patient, leaves in Odoo. */
export const archivePatientPartner = (odoo: OdooClient, partnerId: number) => odoo.write(PARTNER, [partnerId], { active: false });

/** Puts an archived account back in use (unmerge): Odoo writes to an archived record by its id. */
export const unarchivePatientPartner = (odoo: OdooClient, partnerId: number) => odoo.write(PARTNER, [partnerId], { active: true });
