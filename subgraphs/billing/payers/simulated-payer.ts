import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimSubmission, EligibilityAnswer, EligibilityRequest, PayerAdapter, SubmissionReceipt } from './payer-adapter.ts';

const COVERAGE_PERCENTS = [0, 50, 80, 100] as const;
const COPAYS_CENTS = [0, 1000, 2500, 4000] as const;
const COSMETIC_CODES = new Set(['15788']);
/** The one simulated plan that never pays for cosmetic procedures. */
const EXCLUDES_COSMETIC = 'pay-04';

/** A stable 32-bit number from the request, so the same question always gets the same answer. */
const stableHash = (text: string) => createHash('sha256').update(text).digest().readUInt32BE(0);

export interface SimulatedPayerOptions {
  /** How long each answer takes, as a real clearing house would (0 in tests). */
  latencyMs?: number;
}

/** A stand-in for every payer: deterministic answers, optional latency, and an outage switch. */
export class SimulatedPayer implements PayerAdapter {
  /** Set to false to simulate an outage: every call fails until it is set back. */
  available = true;

  constructor(private readonly options: SimulatedPayerOptions = {}) {}

  async checkEligibility({ payerId, patientId, serviceCode }: EligibilityRequest): Promise<EligibilityAnswer> {
    await this.respond();
    const checkedAt = new Date();
    if (payerId === EXCLUDES_COSMETIC && COSMETIC_CODES.has(serviceCode)) {
      return { eligible: false, coveragePercent: 0, copayCents: 0, message: 'Cosmetic procedures are not covered by this plan', checkedAt };
    }
    const hash = stableHash(`${payerId}|${patientId}|${serviceCode}`);
    const coveragePercent = COVERAGE_PERCENTS[hash % COVERAGE_PERCENTS.length]!;
    if (coveragePercent === 0) return { eligible: false, coveragePercent, copayCents: 0, message: 'The service is not covered for this member', checkedAt };
    return { eligible: true, coveragePercent, copayCents: COPAYS_CENTS[(hash >>> 8) % COPAYS_CENTS.length]!, message: null, checkedAt };
  }

  async submitClaim(claim: ClaimSubmission): Promise<SubmissionReceipt> {
    await this.respond();
    return { payerReference: `SIM-${stableHash(`${claim.payerId}|${claim.claimId}`).toString(36).toUpperCase()}` };
  }

  async ping(): Promise<void> {
    await this.respond();
  }

  private async respond(): Promise<void> {
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    if (!this.available) throw new Error('The simulated payer is unavailable');
  }
}
