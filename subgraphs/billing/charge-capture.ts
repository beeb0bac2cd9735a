import type { Queryable } from '../../platform/database/database.ts';
import { badInput, conflict } from '../../platform/errors.ts';
import { emit } from '../../platform/events/outbox.ts';
import { newId } from '../../platform/ids.ts';
import type { Charge, ChargeCapture, FeeScheduleEntry } from './model.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import { requireCompletedEncounter } from './billable-appointments.ts';
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

/**
 * What a capture does with codes the appointment already has a live charge for: staff capturing
 * twice are refused; billing's own capture on encounter.completed, which staff may have done
 * first, leaves them out.
 */
export type CapturedAgain = 'refuse' | 'leave out';

/**
 * Captures an encounter's charges: only on a completed encounter billing knows of, of that
 * patient, one charge per code per appointment.
 */
export async function captureCharges(tx: Queryable, scope: RowScope, capture: ChargeCapture, capturedAgain: CapturedAgain = 'refuse'): Promise<string[]> {
  const { appointmentId, patientId } = capture;
  const stores = billingStores(tx, scope);
  await requireCompletedEncounter(tx, scope, appointmentId, patientId);
  await stores.charges.serializeCaptures(appointmentId);
  const fees = new Map((await stores.payers.feesFor(capture.codes)).map((fee) => [fee.code, fee]));
  const unknown = capture.codes.filter((code) => !fees.has(code));
  if (unknown.length > 0) throw badInput('Some codes are not in the fee schedule', { field: 'codes', reason: 'UNKNOWN_CODE', codes: unknown });
  const captured = await stores.charges.chargesOfAppointments([appointmentId]);
  const again = captured.filter((charge) => charge.status !== 'VOID' && capture.codes.includes(charge.code)).map((charge) => charge.code);
  if (again.length > 0 && capturedAgain === 'refuse') {
    throw conflict('ALREADY_CAPTURED', `Appointment ${appointmentId} already has charges for some of these codes`, { codes: again });
  }
  const capturedAt = new Date();
  const codes = capture.codes.filter((code) => !again.includes(code));
  const charges = codes.map((code) => newCharge(newId('chg'), fees.get(code)!, appointmentId, patientId, capturedAt));
  await stores.charges.add(charges);
  scope.released(charges, (charge) => charge.patientId);
  for (const charge of charges) await emit(tx, 'org.healthgraph.charge.captured.v1', { chargeId: charge.id, appointmentId, patientId });
  return charges.map((charge) => charge.id);
}
