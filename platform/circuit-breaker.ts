import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll, type CircuitBreakerPolicy, type IBackoff, type IHalfOpenAfterBackoffContext } from 'cockatiel';

export type BreakerState = 'closed' | 'half-open' | 'open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** How long an open circuit fails fast before letting one probe through. */
  coolDownMs: number;
}

/** Nothing here isolates a circuit by hand; held open would still be open. */
const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/**
 * An open circuit's wait for its probe. cockatiel asks for it (`next`) each time the circuit opens and
 * reads `duration` on each call while open, so cutting it short lets the next call through.
 */
class CoolDown implements IBackoff<IHalfOpenAfterBackoffContext> {
  private openedAt = 0;
  private cutShort = false;

  constructor(private readonly ms: number) {}

  get duration(): number {
    return this.cutShort ? 0 : this.ms;
  }

  get remainingMs(): number {
    return Math.max(0, this.duration - (Date.now() - this.openedAt));
  }

  next(): this {
    this.openedAt = Date.now();
    this.cutShort = false;
    return this;
  }

  endNow(): void {
    this.cutShort = true;
  }
}

/**
 * The project's circuit breaker, on cockatiel's: `threshold` consecutive failures open it; open, calls
 * fail at once with cockatiel's BrokenCircuitError until `coolDownMs` has passed; then one call goes
 * through as the probe while the others still fail at once; its success closes the circuit, its
 * failure opens it again.
 */
export class CircuitBreaker {
  private readonly coolDown: CoolDown;
  private readonly policy: CircuitBreakerPolicy;

  constructor({ threshold, coolDownMs }: BreakerOptions) {
    this.coolDown = new CoolDown(coolDownMs);
    this.policy = circuitBreaker(handleAll, { halfOpenAfter: this.coolDown, breaker: new ConsecutiveBreaker(threshold) });
  }

  get state(): BreakerState {
    return STATES[this.policy.state];
  }

  /** How long an open circuit still fails fast; 0 while its probe is under way. */
  get retryAfterMs(): number {
    return this.policy.state === CircuitState.Open ? this.coolDown.remainingMs : 0;
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.policy.onStateChange((state) => listener(STATES[state]));
  }

  /** Someone asks to try now (an operator's retry): an open circuit lets the next call through as its probe, as if the cool-down had passed. */
  probeNow(): void {
    if (this.policy.state === CircuitState.Open) this.coolDown.endNow();
  }

  /**
   * `isFailure` tells an outage from an answer: an error it does not count (the dependency refusing a
   * request) is the dependency being up, so it resets the count and a probe that gets it closes the circuit.
   */
  async run<T>(operation: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    // cockatiel would make the calls that come during the probe wait for it: no caller waits for a dependency that may be away.
    if (this.policy.state === CircuitState.HalfOpen) throw new BrokenCircuitError();
    // An answer goes through cockatiel as a result (a success), not as an error (which it neither counts nor resets on).
    const outcome = await this.policy.execute(async () => {
      try {
        return { value: await operation() };
      } catch (error) {
        if (isFailure(error)) throw error;
        return { answer: error };
      }
    });
    if ('answer' in outcome) throw outcome.answer;
    return outcome.value;
  }
}
