import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import { centsFrom, money } from '../../subgraphs/billing/money.ts';

describe('money from a GraphQL Float', () => {
  it('rounds binary noise to cents and refuses what is not an amount', () => {
    expect(centsFrom(0.1 + 0.2, 'amount')).toBe(30);
    expect(centsFrom(4.35, 'amount')).toBe(435);
    expect(centsFrom(1234567.89, 'amount')).toBe(123456789);
    expect(centsFrom(0, 'amount')).toBe(0);
    for (const amount of [Number.NaN, Number.POSITIVE_INFINITY, -0.01, 1.005, 0.001, 10_000_000.01]) {
      expect(() => centsFrom(amount, 'amount'), String(amount)).toThrow(DomainError);
    }
  });

  it('prints cents back with at most two decimals', () => {
    expect(money(30)).toEqual({ value: 0.3, currency: 'USD' });
    expect(money(123456789).value).toBe(1234567.89);
  });
});
