import type { Queryable } from '../../platform/database/database.ts';
import { badInput, conflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Charge, ChargeCapture, FeeScheduleEntry } from './model.ts';
import { billingStores } from './stores.ts';

/** A PENDING charge priced from the fee schedule. */
export const newCharge = (id: string, fee: FeeScheduleEntry, appointmentId: string, patientId: string, capturedAt: Date): Charge => ({
  id,
  appointmentId,
  patientId,
  code: fee.code,
  description: fee.description,
  amountCents: fee.amountCents,
  status: 'PENDING',
  invoiceId: null,
  capturedAt,
});

/** Captures an encounter's charges: one per code per appointment, all for the appointment's one patient. */
export async function captureCharges(tx: Queryable, capture: ChargeCapture, capturedAt = new Date()): Promise<string[]> {
  const { appointmentId, patientId, codes } = capture;
  const stores = billingStores(tx);
  await stores.charges.serializeCaptures(appointmentId);
  const fees = new Map((await stores.payers.feesFor(codes)).map((fee) => [fee.code, fee]));
  const unknown = codes.filter((code) => !fees.has(code));
  if (unknown.length > 0) throw badInput('Some codes are not in the fee schedule', { field: 'codes', reason: 'UNKNOWN_CODE', codes: unknown });
  const captured = await stores.charges.chargesOfAppointments([appointmentId]);
  if (captured.some((charge) => charge.patientId !== patientId)) {
    throw conflict('APPOINTMENT_OF_ANOTHER_PATIENT', `Appointment ${appointmentId} has charges for another patient`);
  }
  const again = captured.filter((charge) => charge.status !== 'VOID' && codes.includes(charge.code)).map((charge) => charge.code);
  if (again.length > 0) {
    throw conflict('ALREADY_CAPTURED', `Appointment ${appointmentId} already has charges for some of these codes`, { codes: again });
  }
  const charges = codes.map((code) => newCharge(newId('chg'), fees.get(code)!, appointmentId, patientId, capturedAt));
  await stores.charges.add(charges);
  return charges.map((charge) => charge.id);
}
