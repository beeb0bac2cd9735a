import { badInput } from '../../platform/errors.ts';
import { optionalText, requiredText } from '../../platform/validation.ts';
import type { ChargeCapture, ClaimDraft, PaymentMethod, PaymentPosting } from './model.ts';
import { centsFrom } from './money.ts';

export const validId = (id: string, field: string) => requiredText(id, field, 100);

/** Each value once: a code or a charge named twice is a mistake, not a quantity. */
export function distinctIds(values: readonly string[], field: string, maxLength = 100): string[] {
  const list = values.map((value) => requiredText(value, field, maxLength));
  if (new Set(list).size !== list.length) throw badInput(`${field} names the same value twice`, { field, reason: 'DUPLICATE' });
  return list;
}

function nonEmpty(values: string[], field: string): string[] {
  if (values.length === 0) throw badInput(`${field} must not be empty`, { field });
  return values;
}

export function validCapture(input: ChargeCapture): ChargeCapture {
  return {
    appointmentId: validId(input.appointmentId, 'appointmentId'),
    patientId: validId(input.patientId, 'patientId'),
    codes: nonEmpty(distinctIds(input.codes, 'codes', 20), 'codes'),
  };
}

export function validClaimDraft(input: ClaimDraft): ClaimDraft {
  return {
    patientId: validId(input.patientId, 'patientId'),
    payerId: validId(input.payerId, 'payerId'),
    memberId: requiredText(input.memberId, 'memberId', 60),
    chargeIds: nonEmpty(distinctIds(input.chargeIds, 'chargeIds'), 'chargeIds'),
  };
}

export interface PaymentInput {
  invoiceId: string;
  amount: number;
  method: PaymentMethod;
  reference?: string | null;
}

export function validPayment(input: PaymentInput): PaymentPosting {
  const amountCents = centsFrom(input.amount, 'amount');
  if (amountCents === 0) throw badInput('amount must be more than zero', { field: 'amount' });
  return {
    invoiceId: validId(input.invoiceId, 'invoiceId'),
    amountCents,
    method: input.method,
    reference: optionalText(input.reference, 'reference', 100),
  };
}
