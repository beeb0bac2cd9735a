import type { ExecutionResult } from 'graphql';
import type { Receipt, ReceiptWaiter } from './delivery-records.ts';
import type { OutcomeWaiter, SharedOutcome } from './shared-outcome.ts';

/**
 * One subscription's events in log order, each written to the socket (`deliver`) as soon as it
 * and every event before it are resolved and, where `recorded` says it must wait, on record in the
 * audit trail. The hub adds without ever waiting. To graphql-ws it is the subscription's iterator:
 * it yields nothing (the events do not go through graphql-ws, which would serialize each result
 * again for every subscriber) and ends when the subscription does.
 */
export class EventQueue implements AsyncIterableIterator<ExecutionResult>, OutcomeWaiter, ReceiptWaiter {
  private readonly pending: SharedOutcome[] = [];
  private wakeWriter?: () => void;
  private ended = false;
  /** The head's access record, being written. */
  private awaitedReceipt: Receipt | undefined;
  private readonly finished: Promise<IteratorResult<ExecutionResult>>;
  private finish!: () => void;

  constructor(
    private readonly deliver: (outcome: SharedOutcome & { payload: Buffer }) => void,
    private readonly onEnd: () => void,
    /** The delivery's receipt when it must be on record first; a failed one ends the queue unsent (`onUnrecorded`). */
    private readonly recorded: (outcome: SharedOutcome) => Receipt | undefined = () => undefined,
    private readonly onUnrecorded: () => void = () => undefined,
  ) {
    this.finished = new Promise((resolve) => (this.finish = () => resolve({ value: undefined, done: true })));
  }

  get length(): number {
    return this.pending.length;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  push(outcome: SharedOutcome): void {
    if (this.ended) return;
    this.pending.push(outcome);
    if (this.pending.length === 1) this.deliverSettled();
  }

  /**
   * Writes the resolved events at the head, in order, and waits on the first still resolving or
   * being put on record. Called again by what it waits on, in that one's synchronous loop.
   */
  deliverSettled(): void {
    while (!this.ended) {
      const head = this.pending[0];
      if (!head) return;
      if (!head.settled) return head.wait(this);
      const receipt = this.awaitedReceipt ?? (head.payload === undefined ? undefined : this.recorded(head));
      if (receipt && !receipt.durable) {
        if (receipt.failed) return this.unrecorded();
        this.awaitedReceipt = receipt;
        return receipt.wait(this);
      }
      this.awaitedReceipt = undefined;
      this.send(head);
    }
  }

  private unrecorded(): void {
    this.awaitedReceipt = undefined;
    this.onUnrecorded();
    this.end();
  }

  private send(head: SharedOutcome): void {
    this.pending.shift();
    this.wakeWriter?.();
    if (head.payload !== undefined) this.deliver(head as SharedOutcome & { payload: Buffer });
  }

  /** Resolves once no more than `length` events wait (or the queue ended): replay paces itself by it. */
  async shorterThan(length: number): Promise<void> {
    while (!this.ended && this.pending.length >= length) await new Promise<void>((resolve) => (this.wakeWriter = resolve));
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    return this.finished;
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return this.finished;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.length = 0;
    this.wakeWriter?.();
    this.finish();
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
