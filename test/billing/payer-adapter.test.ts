import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../platform/errors.ts';
import { guardedPayer } from '../../subgraphs/billing/payers/guarded-payer.ts';
import type { PayerAdapter } from '../../subgraphs/billing/payers/payer-adapter.ts';
import { SimulatedPayer } from '../../subgraphs/billing/payers/simulated-payer.ts';

const request = { payerId: 'pay-01', patientId: 'pat-0001', serviceCode: '99213' };
const submission = { claimId: 'clm-1', payerId: 'pay-01', patientId: 'pat-0001', memberId: 'M1', totalCents: 11000, serviceCodes: ['99213'] };
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: DomainError) => error.extensions.code);

describe('the payer adapter', () => {
  it('simulates latency and a stable tracking number', async () => {
    const payer = new SimulatedPayer({ latencyMs: 40 });
    const started = performance.now();
    const receipt = await payer.submitClaim(submission);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(receipt).toEqual(await payer.submitClaim(submission));
    expect(receipt.payerReference).toMatch(/^SIM-[0-9A-Z]+$/);
  });

  it('turns a failure or a payer slower than the timeout into UPSTREAM_UNAVAILABLE', async () => {
    const down = new SimulatedPayer();
    down.available = false;
    expect(await codeOf(guardedPayer(down, 1000).checkEligibility(request))).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
    const slow = guardedPayer(new SimulatedPayer({ latencyMs: 200 }), 20);
    expect(await codeOf(slow.submitClaim(submission))).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
  });

  it('lets an error the adapter raised on purpose through', async () => {
    const refusing: PayerAdapter = {
      checkEligibility: async () => {
        throw new DomainError(ErrorCode.BAD_USER_INPUT, 'Unknown member');
      },
      submitClaim: async () => ({ payerReference: 'X' }),
      ping: async () => {},
    };
    expect(await codeOf(guardedPayer(refusing, 1000).checkEligibility(request))).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
