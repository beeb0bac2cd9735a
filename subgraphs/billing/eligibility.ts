import { badInput, notFound } from '../../platform/errors.ts';
import type { BillingContext } from './context.ts';
import { money } from './money.ts';
import { validId } from './validation.ts';

export interface EligibilityQuery {
  patientId: string;
  payerId: string;
  serviceCode: string;
}

/** Asks the payer, through the adapter, whether it covers a fee schedule service for the patient. */
export async function checkEligibility({ payers, stores, payer }: BillingContext, query: EligibilityQuery) {
  const patientId = validId(query.patientId, 'patientId');
  const payerId = validId(query.payerId, 'payerId');
  const known = await payers.load(payerId);
  if (!known) throw notFound('Payer', payerId);
  const [fee] = await stores.payers.feesFor([query.serviceCode]);
  if (!fee) throw badInput('serviceCode is not in the fee schedule', { field: 'serviceCode', reason: 'UNKNOWN_CODE' });
  const answer = await payer.checkEligibility({ payerId: known.id, patientId, serviceCode: fee.code });
  // A copay is never more than the service costs.
  return { ...answer, payer: known, serviceCode: fee.code, copay: money(Math.min(answer.copayCents, fee.amountCents)) };
}
