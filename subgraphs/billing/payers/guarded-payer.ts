import { DomainError, ErrorCode } from '../../../platform/errors.ts';
import type { PayerAdapter } from './payer-adapter.ts';

/**
 * Whatever goes wrong with a payer (refused connection, timeout, garbled answer) reaches the caller
 * as UPSTREAM_UNAVAILABLE, never with the adapter's own message. A DomainError the adapter raised
 * on purpose passes through.
 */
export function guardedPayer(adapter: PayerAdapter, timeoutMs: number): PayerAdapter {
  return {
    checkEligibility: (request) => guarded(request.payerId, timeoutMs, () => adapter.checkEligibility(request)),
    submitClaim: (claim) => guarded(claim.payerId, timeoutMs, () => adapter.submitClaim(claim)),
    // Probed under readiness's own deadline, and its failure is reported without its message.
    ping: () => adapter.ping(),
  };
}

async function guarded<T>(payerId: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('payer timeout')), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, `Payer ${payerId} did not answer; nothing was changed, try again later`, { payerId });
  } finally {
    clearTimeout(timer);
  }
}
