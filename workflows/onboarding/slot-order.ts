import { createHash } from 'node:crypto';

/**
 * The order an onboarding tries the earliest free slots in: from one its id picks, round the list.
 * Onboardings running together read the same list; all starting at its head, the k-th paid for
 * k − 1 refused bookings (CONFLICT) before its own, out of the cost budget every onboarding shares.
 * The same id gives the same order, so a booking step run again after a crash tries its first
 * slot, with its idempotency key, first again.
 */
export function slotsInTurn(onboardingId: string, slots: readonly string[]): string[] {
  if (slots.length === 0) return [];
  const start = createHash('sha256').update(onboardingId).digest().readUInt32BE(0) % slots.length;
  return [...slots.slice(start), ...slots.slice(0, start)];
}
