import { badInput } from '../../platform/errors.ts';

/** One currency per deployment; amounts are stored and summed as integer cents. */
export const CURRENCY = 'USD';

/** Ten million: fits the integer columns with room for sums, and no real payment is larger. */
const MAX_CENTS = 1_000_000_000;

/** Integer cents divided by 100 print with at most two decimals: 30 / 100 is 0.3, not 0.30000000000000004. */
export const money = (cents: number) => ({ value: cents / 100, currency: CURRENCY });

/**
 * A GraphQL Float as cents. Client arithmetic leaves binary noise (0.1 + 0.2 is
 * 0.30000000000000004), which rounds away; a third decimal that is really there (0.301) is refused.
 */
export function centsFrom(amount: number, field: string): number {
  if (!Number.isFinite(amount)) throw badInput(`${field} must be a number`, { field });
  if (amount < 0) throw badInput(`${field} must not be negative`, { field });
  if (amount * 100 > MAX_CENTS) throw badInput(`${field} must be at most ${MAX_CENTS / 100}`, { field });
  const cents = Math.round(amount * 100);
  if (Math.abs(amount * 100 - cents) > 1e-6) throw badInput(`${field} must have at most two decimals`, { field });
  return cents;
}

export const totalCents = (items: readonly { amountCents: number }[]) => items.reduce((sum, item) => sum + item.amountCents, 0);
