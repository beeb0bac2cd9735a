import type { Caller } from '../../platform/caller.ts';
import { LOG_START, type LoggedEvent } from '../../platform/events/event-log.ts';
import { placementOf, type EventPlacement } from '../../platform/events/topics.ts';
import type { Receipt } from './delivery-records.ts';
import { EventQueue } from './event-queue.ts';
import type { Rider } from './event-train.ts';
import { isAfter, positionOf, type LogPosition } from './log-position.ts';
import type { SharedOutcome } from './shared-outcome.ts';
import type { SubscriptionRequest } from './subscription-request.ts';

/** The socket a subscription lives on, as the hub sees it. */
export interface SubscriberConnection {
  /** Writes a graphql-ws `next` message of this subscription around `payload`, an execution result as JSON. */
  sendNext(payload: Buffer): void;
  /** Bytes handed to the socket and not yet sent. */
  bufferedAmount(): number;
  /** The socket itself: the subscriptions on one socket share its buffer. */
  readonly socket: object;
  /** Closes the socket with a WebSocket close code: every subscription on it ends. */
  close(code: number, reason: string): void;
}

export interface PaceLimits {
  /** Events waiting for one subscription before its connection is closed. */
  maxPendingEvents: number;
  /** Bytes waiting on its socket before its connection is closed. */
  maxBufferedBytes: number;
}

/** 1013, Try Again Later: graphql-ws clients reconnect on it, and resume with `after`. */
export const TOO_SLOW = { code: 1013, reason: 'Events piled up unread: reconnect with after, the id of the last event received' };

/** An event that cannot be put on record is not sent: the client reconnects later and is sent it then. */
export const AUDIT_UNAVAILABLE_CLOSE = { code: 1013, reason: 'The audit trail is unavailable: reconnect with after, the id of the last event received' };

/** Whether a subscription of `request` wants the event: its topic, and every criterion of its filter the event carries. */
export function wantsEvent({ topic, filter }: SubscriptionRequest, logged: LoggedEvent, placement: EventPlacement): boolean {
  const payload = logged.event.data as { onboardingId?: string; status?: string };
  return (
    placement.topic === topic &&
    (!filter.types || filter.types.includes(placement.name)) &&
    (!filter.patientId || filter.patientId === logged.event.patientid) &&
    (!filter.onboardingId || filter.onboardingId === payload.onboardingId) &&
    (!filter.statuses || (payload.status !== undefined && filter.statuses.includes(payload.status)))
  );
}

/**
 * One subscription: which events it wants, how far through the log it is, and its queue. While it
 * replays from `after`, live events are held; each event is then taken only past the cursor, so
 * the seam between replay and live has no gap and no duplicate. Once live with nothing waiting, it
 * may ride its group's train (event-train.ts), which takes the events from then on in its stead.
 */
export class Subscriber implements Rider {
  readonly queue: EventQueue;
  private cursorId: string;
  private cursor: LogPosition;
  private held: LoggedEvent[] | undefined;

  constructor(
    readonly request: SubscriptionRequest,
    readonly caller: Caller,
    readonly connection: SubscriberConnection,
    private readonly limits: PaceLimits,
    private readonly pending: (logged: LoggedEvent, placement: EventPlacement) => SharedOutcome,
    onEnd: () => void,
    /** This subscription's receipt of an outcome, to be on record before it is sent (undefined: nothing to record). */
    recorded?: (outcome: SharedOutcome) => Receipt | undefined,
  ) {
    this.queue = new EventQueue(({ payload }) => connection.sendNext(payload), onEnd, recorded, () =>
      connection.close(AUDIT_UNAVAILABLE_CLOSE.code, AUDIT_UNAVAILABLE_CLOSE.reason),
    );
    this.cursorId = request.after ?? LOG_START;
    this.cursor = positionOf(this.cursorId);
    this.held = request.after === undefined ? undefined : [];
  }

  get ended(): boolean {
    return this.queue.isEnded;
  }

  /** Live, with every event taken so far written: from the next event on, a train may take its events. */
  get caughtUp(): boolean {
    return !this.held && this.queue.length === 0 && !this.queue.isEnded;
  }

  /** An event its train took for it: it leaves the socket only past the record naming it, as from its own queue. */
  write(payload: Buffer): void {
    this.connection.sendNext(payload);
    if (this.connection.bufferedAmount() > this.limits.maxBufferedBytes) this.cutOff();
  }

  unrecorded(): void {
    this.connection.close(AUDIT_UNAVAILABLE_CLOSE.code, AUDIT_UNAVAILABLE_CLOSE.reason);
    this.queue.end();
  }

  /** The last log id taken: where a replay reads on from. */
  get position(): string {
    return this.cursorId;
  }

  /** A live event, from the hub's one reading of the log, with its placement (found once for every subscriber). */
  offer(logged: LoggedEvent, placement: EventPlacement): void {
    if (!this.held) return this.take(logged, placement);
    this.held.push(logged);
    this.keepPace(this.held.length);
  }

  /** An event in log order, replayed or live; one at or before the cursor was taken already. */
  take(logged: LoggedEvent, placement = placementOf(logged.event)): void {
    const position = positionOf(logged.logId);
    if (!isAfter(position, this.cursor)) return;
    this.cursorId = logged.logId;
    this.cursor = position;
    if (!placement || !wantsEvent(this.request, logged, placement)) return;
    this.queue.push(this.pending(logged, placement));
    this.keepPace(this.queue.length);
  }

  /** The replay caught up: what was held meanwhile follows. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const logged of held) this.take(logged);
  }

  /** Closes its connection (every subscription on it ends), as too slow unless told why, and ends its queue. */
  cutOff(why: { code: number; reason: string } = TOO_SLOW): void {
    this.connection.close(why.code, why.reason);
    this.queue.end();
  }

  /** Never waits on the socket: a subscriber that falls too far behind is cut off, the others go on. */
  private keepPace(waiting: number): void {
    if (waiting <= this.limits.maxPendingEvents && this.connection.bufferedAmount() <= this.limits.maxBufferedBytes) return;
    this.cutOff();
  }
}
