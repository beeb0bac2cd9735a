// Where the project's breaker departs from cockatiel's defaults (issue 17): an answer is not an outage,
// and calls during the probe fail fast rather than wait for it.
import { isBrokenCircuitError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../platform/circuit-breaker.ts';

class Outage extends Error {}
const isOutage = (error: unknown) => error instanceof Outage;
const outage = () => Promise.reject(new Outage());
const refusal = () => Promise.reject(new Error('refused'));

describe('the circuit breaker', () => {
  it('counts only consecutive outages: an answer, even a refusal, resets the count', async () => {
    const breaker = new CircuitBreaker({ threshold: 2, coolDownMs: 60_000 });
    await expect(breaker.run(outage, isOutage)).rejects.toBeInstanceOf(Outage);
    await expect(breaker.run(refusal, isOutage)).rejects.toThrow('refused');
    await expect(breaker.run(outage, isOutage)).rejects.toBeInstanceOf(Outage);
    expect(breaker.state).toBe('closed');
    await expect(breaker.run(outage, isOutage)).rejects.toBeInstanceOf(Outage);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBeGreaterThan(59_000);
  });

  it('lets one probe through, fails the calls meanwhile at once, and closes on an answer', async () => {
    const breaker = new CircuitBreaker({ threshold: 1, coolDownMs: 60_000 });
    await expect(breaker.run(outage, isOutage)).rejects.toBeInstanceOf(Outage);
    const states: string[] = [];
    breaker.onStateChange((state) => states.push(state));
    breaker.probeNow();
    let answer!: (value: string) => void;
    const probe = breaker.run(() => new Promise<string>((resolve) => (answer = resolve)), isOutage);
    expect(breaker.state).toBe('half-open');
    expect(breaker.retryAfterMs).toBe(0);
    const meanwhile = await breaker.run(() => Promise.resolve('called'), isOutage).catch((error: unknown) => error);
    expect(isBrokenCircuitError(meanwhile)).toBe(true);
    answer('up');
    await expect(probe).resolves.toBe('up');
    expect(states).toEqual(['half-open', 'closed']);
  });

  it('opens again for a whole cool-down when the probe fails, even one asked for', async () => {
    const breaker = new CircuitBreaker({ threshold: 1, coolDownMs: 60_000 });
    await expect(breaker.run(outage, isOutage)).rejects.toBeInstanceOf(Outage);
    breaker.probeNow();
    await expect(breaker.run(outage, isOutage)).rejects.toBeInstanceOf(Outage);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBeGreaterThan(59_000);
    await expect(breaker.run(() => Promise.resolve('called'), isOutage)).rejects.toSatisfy(isBrokenCircuitError);
  });
});
