import type { Caller } from '../../platform/caller.ts';
import type { Receipt, ReceiptWaiter } from './delivery-records.ts';
import type { OutcomeWaiter, SharedOutcome } from './shared-outcome.ts';

/** A subscriber as a train carries it: its identity for the record, and its socket. */
export interface Rider {
  readonly caller: Caller;
  /** Ended riders are skipped: their subscription or connection is gone. */
  readonly ended: boolean;
  /** Writes the event's shared payload to its socket. */
  write(payload: Buffer): void;
  /** The train fell too far behind: closes its connection as too slow. */
  cutOff(): void;
  /** Its delivery could not be put on record: closes its connection and sends nothing. */
  unrecorded(): void;
}

/** One event on a train, with the riders on board when it was taken: riders who board later did not take it. */
interface Carriage {
  outcome: SharedOutcome;
  riders: readonly Rider[];
}

/**
 * The caught-up subscribers of one group that want the same events (same selection, rights and
 * filter): their own queues would hold the same events in the same order, so they share this one.
 * The hub offers each event once per train, not once per subscriber; each event is put on record
 * once naming every rider, and written to them in one loop once that record is durable. The
 * order, record-then-release and the pace limits are those of each rider's own queue.
 */
export class EventTrain implements OutcomeWaiter, ReceiptWaiter {
  /** Replaced, never changed in place: each carriage keeps the riders of its moment. */
  private riders: readonly Rider[] = [];
  private readonly carriages: Carriage[] = [];
  /** The head's receipts (usually one), being written. */
  private awaited: Receipt[] | undefined;

  constructor(
    /** Events waiting before every rider is cut off, as each subscriber's own queue is. */
    private readonly maxPendingEvents: number,
    /** A rider's receipt of an outcome, to be on record before it is sent (undefined: nothing to record). */
    private readonly recorded: (outcome: SharedOutcome, caller: Caller) => Receipt | undefined = () => undefined,
  ) {}

  get size(): number {
    return this.riders.length;
  }

  /** From the next event on: its earlier events were all written before it boards. */
  board(rider: Rider): void {
    this.riders = [...this.riders, rider];
  }

  leave(rider: Rider): void {
    this.riders = this.riders.filter((other) => other !== rider);
  }

  push(outcome: SharedOutcome): void {
    if (this.riders.length === 0) return;
    this.carriages.push({ outcome, riders: this.riders });
    if (this.carriages.length === 1) return this.deliverSettled();
    if (this.carriages.length > this.maxPendingEvents) for (const rider of this.riders) rider.cutOff();
  }

  /** As a subscriber's queue: writes the settled, recorded events at the head, in order; waits on the first that is not. */
  deliverSettled(): void {
    for (;;) {
      const head = this.carriages[0];
      if (!head) return;
      if (!head.outcome.settled) return head.outcome.wait(this);
      if (head.outcome.payload !== undefined) {
        const receipts = (this.awaited ??= this.receiptsOf(head));
        const pending = receipts.find((receipt) => !receipt.durable);
        if (pending) {
          if (!pending.failed) return pending.wait(this);
          // Not on record: none of them is sent it, and they reconnect with `after`.
          for (const rider of head.riders) if (!rider.ended) rider.unrecorded();
        } else {
          for (const rider of head.riders) if (!rider.ended) rider.write(head.outcome.payload);
        }
      }
      this.awaited = undefined;
      this.carriages.shift();
    }
  }

  private receiptsOf({ outcome, riders }: Carriage): Receipt[] {
    const receipts = new Set<Receipt>();
    for (const rider of riders) {
      if (rider.ended) continue;
      const receipt = this.recorded(outcome, rider.caller);
      if (receipt) receipts.add(receipt);
    }
    return [...receipts];
  }
}
