import type { Eligibility } from './onboarding/graph-calls.ts';

export interface Money {
  value: number;
  currency: string;
}

/**
 * What the patient is expected to owe for a visit: the fee, less what the payer covers, plus the
 * copay (never more than the fee); the whole fee without coverage. A figure, recorded nowhere but
 * in the workflow's state.
 */
export function patientShare(fee: Money, covered: Eligibility | null): Money {
  const owed = covered ? Math.min(fee.value, covered.copay.value + (fee.value * (100 - covered.coveragePercent)) / 100) : fee.value;
  return { value: Math.round(owed * 100) / 100, currency: fee.currency };
}
