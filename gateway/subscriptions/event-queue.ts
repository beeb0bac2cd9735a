import type { ExecutionResult } from 'graphql';

/** An event on its way to one subscriber: its result once resolved, or nothing when it is not theirs to see. */
export type PendingEvent = Promise<ExecutionResult | undefined>;

/**
 * One subscription's events in log order. The hub adds without ever waiting; graphql-ws takes the
 * next one when the socket has sent the last, so a slow socket only lengthens its own queue.
 */
export class EventQueue implements AsyncIterableIterator<ExecutionResult> {
  private readonly pending: PendingEvent[] = [];
  private wakeReader?: () => void;
  private wakeWriter?: () => void;
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  get length(): number {
    return this.pending.length;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  push(event: PendingEvent): void {
    if (this.ended) return;
    this.pending.push(event);
    this.wakeReader?.();
  }

  /** Resolves once no more than `length` events wait (or the queue ended): replay paces itself by it. */
  async shorterThan(length: number): Promise<void> {
    while (!this.ended && this.pending.length >= length) await new Promise<void>((resolve) => (this.wakeWriter = resolve));
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    while (!this.ended) {
      const head = this.pending.shift();
      this.wakeWriter?.();
      if (!head) {
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
        continue;
      }
      const result = await head;
      if (result && !this.ended) return { value: result, done: false };
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return { value: undefined, done: true };
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.length = 0;
    this.wakeReader?.();
    this.wakeWriter?.();
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
