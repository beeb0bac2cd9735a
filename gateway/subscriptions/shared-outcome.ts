import type { ExecutionResult } from 'graphql';
import type { Disclosure } from './delivery-records.ts';
import type { EventReads } from './held-reads.ts';

/** A queue waiting on the event at its head. */
export interface OutcomeWaiter {
  deliverSettled(): void;
}

/**
 * One event resolved for a group of subscribers, serialized once: every member writes the same
 * payload, and the members waiting on it are told in one synchronous loop, with no promise each.
 */
export class SharedOutcome {
  /**
   * The `next` payload as JSON, in bytes: each member's message is copied from it, not encoded
   * again, and bytes off the JS heap cost the garbage collector nothing while sockets hold them.
   * Undefined once settled when the event is not theirs to see.
   */
  payload: Buffer | undefined;
  /** What receiving it tells a member about a patient, for the audit trail. */
  disclosure: Disclosure | undefined;
  settled = false;
  private waiters: OutcomeWaiter[] = [];

  /** `result` never rejects: a failed resolution is withheld upstream, with its reason logged. */
  constructor(
    readonly result: Promise<ExecutionResult | undefined>,
    disclose?: (value: ExecutionResult) => Disclosure | undefined,
    /** The access records of the reads that resolved it, written with its deliveries' records. */
    readonly reads?: EventReads,
  ) {
    void result.then((value) => {
      this.payload = value && Buffer.from(JSON.stringify(value));
      this.disclosure = value && disclose?.(value);
      this.settled = true;
      for (const waiter of this.waiters.splice(0)) waiter.deliverSettled();
    });
  }

  /** For an outcome not settled yet: `waiter` is told once, when it settles. */
  wait(waiter: OutcomeWaiter): void {
    this.waiters.push(waiter);
  }
}
