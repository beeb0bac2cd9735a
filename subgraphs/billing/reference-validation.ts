import { badInput } from '../../platform/errors.ts';
import { key, optional, text } from '../../platform/reference-data/fields.ts';
import type { FeeScheduleEntry, Payer } from './model.ts';
import { centsFrom } from './money.ts';

/** The rules of billing's reference data, the same for an admin's mutation and a file's row. */
type Input = Record<string, unknown>;

export const validPayer = (input: Input): Payer => ({
  id: key(input.id, 'id'),
  name: text(input.name, 'name', 200),
  identifier: optional(input.identifier, 'identifier', 64),
});

export function validFee(input: Input): FeeScheduleEntry {
  if (typeof input.amount !== 'number') throw badInput('amount must be given as a number', { field: 'amount', reason: 'INVALID_VALUE' });
  return { code: key(input.code, 'code'), description: text(input.description, 'description', 200), amountCents: centsFrom(input.amount, 'amount') };
}
