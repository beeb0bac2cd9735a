import { badInput, notFound } from '../../platform/errors.ts';
import type { Charge } from './model.ts';
import type { BillingStores } from './stores.ts';

/** Locks the named charges until the transaction ends, after checking each exists and is the patient's. */
export async function lockPatientCharges(stores: BillingStores, patientId: string, chargeIds: readonly string[]): Promise<Charge[]> {
  const charges = await stores.charges.lockCharges(chargeIds);
  const found = new Set(charges.map((charge) => charge.id));
  const missing = chargeIds.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound('Charge', missing);
  const foreign = charges.filter((charge) => charge.patientId !== patientId).map((charge) => charge.id);
  if (foreign.length > 0) {
    throw badInput('Some charges belong to another patient', { field: 'chargeIds', reason: 'CHARGE_OF_ANOTHER_PATIENT', chargeIds: foreign });
  }
  return charges;
}
