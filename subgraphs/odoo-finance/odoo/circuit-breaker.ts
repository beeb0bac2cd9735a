import { OdooUnavailableError } from './errors.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** How long an open circuit fails fast before letting one probe through. */
  coolDownMs: number;
}

export const defaultBreakerOptions: BreakerOptions = { threshold: 5, coolDownMs: 30_000 };

/**
 * Closed: calls go through, consecutive failures are counted. Open: calls fail at once with
 * OdooUnavailableError until the cool-down has passed. Half-open: one probe goes through; its
 * success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly onChange: (state: CircuitState) => void = () => {},
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** `isFailure` tells an outage from an answer: Odoo refusing a request is still Odoo being up. */
  async run<T>(operation: () => Promise<T>, isFailure: (error: unknown) => boolean): Promise<T> {
    this.admit();
    const probe = this.current === 'half-open';
    this.probing ||= probe;
    try {
      const result = await operation();
      this.succeeded();
      return result;
    } catch (error) {
      if (isFailure(error)) this.failed();
      else this.succeeded();
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  /** Someone asks to try now (an operator's retry): an open circuit lets the next call through as its probe, as if the cool-down had passed. */
  probeNow(): void {
    if (this.current === 'open') this.openedAt = Number.NEGATIVE_INFINITY;
  }

  private admit(): void {
    const waited = Date.now() - this.openedAt;
    if (this.current === 'open' && waited >= this.options.coolDownMs) this.moveTo('half-open');
    else if (this.current === 'open') throw new OdooUnavailableError(this.options.coolDownMs - waited);
    else if (this.current === 'half-open' && this.probing) throw new OdooUnavailableError(0);
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.current !== 'closed') this.moveTo('closed');
  }

  private failed(): void {
    this.failures++;
    if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.options.threshold)) {
      this.openedAt = Date.now();
      this.moveTo('open');
    }
  }

  private moveTo(state: CircuitState): void {
    this.current = state;
    this.onChange(state);
  }
}
