import { setTimeout as delay } from 'node:timers/promises';
import type { ExecutionResult } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import type { EventLog, LoggedEvent } from '../../platform/events/event-log.ts';
import { describeFailure } from '../../platform/events/failure.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import type { Logger } from '../../platform/logger.ts';
import { boundedCache, cachedOr } from '../../platform/cache.ts';
import { appointmentPractitioner } from './appointment-practitioner.ts';
import { callerClassOf } from './caller-class.ts';
import { inAudience } from './event-audience.ts';
import type { ResolveEvent } from './event-resolution.ts';
import { placementOf, type EventPlacement } from '../../platform/events/topics.ts';
import type { ReadEntity } from './entity-reads.ts';
import { watchBufferBudget } from './buffer-budget.ts';
import type { DeliveryRecords } from './delivery-records.ts';
import { EventReads } from './held-reads.ts';
import { SharedOutcome } from './shared-outcome.ts';
import type { SharedSelection } from './shared-selection.ts';
import { EventTrain } from './event-train.ts';
import { Subscriber, wantsEvent, type PaceLimits, type SubscriberConnection } from './subscriber.ts';
import type { EventFilter, SubscriptionRequest } from './subscription-request.ts';

export interface HubOptions extends Partial<PaceLimits> {
  /** Resolutions under way at once; past it, the hub reads the log no further until some finish. */
  maxResolutionsInFlight?: number;
  /** Events read from the log at a time when a subscriber replays. */
  replayBatchSize?: number;
  /** Resolutions remembered, so replays and late joiners of a group reuse them. */
  resolutionCacheSize?: number;
  /** Unsent bytes all sockets may hold together; past it, the sockets holding most are cut off. */
  maxBufferedBytesTotal?: number;
}

export interface HubSettings {
  eventLog: EventLog;
  resolveEvent: ResolveEvent;
  /** The practitioner filter's reads: they decide whether an event matches, so each is on record before it answers. */
  readEntity: ReadEntity;
  logger: Logger;
  /** Puts each subscriber's deliveries on record before they are sent. */
  records?: DeliveryRecords;
  options?: HubOptions;
}

export interface EventHub {
  /** The subscription's events, resolved for `caller`, until the client completes or the connection closes. */
  join(request: SubscriptionRequest, caller: Caller, connection: SubscriberConnection): AsyncIterableIterator<ExecutionResult>;
  /** Subscriptions open now. */
  readonly open: number;
  close(): Promise<void>;
}

/** Subscribers with the same selection and the same rights: one resolution per event serves them all. */
interface Group {
  key: string;
  callerClass: string;
  selection: SharedSelection;
  members: Map<Subscriber, Caller>;
  /** The outcome of the event offered last, which each member asks for in turn. */
  latest?: { logId: string; outcome: SharedOutcome };
  /** A train per filter its members subscribed with. */
  rides: Map<string, Ride>;
}

/** A group's train for one filter: the events it wants, and each event's outcome for it. */
interface Ride {
  train: EventTrain;
  /** The first member's request: its topic and filter are every rider's. */
  request: SubscriptionRequest;
  pending: (logged: LoggedEvent, placement: EventPlacement) => SharedOutcome;
}

/** Try Again Later, as for a slow subscriber: the client reconnects and resumes with `after`. */
const LOG_UNAVAILABLE = { code: 1013, reason: 'The event log is unavailable: reconnect with after' };

/** How often a replay looks whether its socket has sent enough to read on. */
const REPLAY_DRAIN_POLL_MS = 20;

/** An event that could never concern a group: settled at once, so its members' queues move straight on. */
const OUT_OF_AUDIENCE = new SharedOutcome(Promise.resolve(undefined));

const defaults = {
  maxPendingEvents: 1_000,
  // Writes leave at once, so the socket's buffer is what a slow reader fills: 1 MiB is about a
  // thousand events. Many stalled readers together are bounded by the total.
  maxBufferedBytes: 1024 * 1024,
  maxBufferedBytesTotal: 256 * 1024 * 1024,
  maxResolutionsInFlight: 256,
  replayBatchSize: 50,
  resolutionCacheSize: 20_000,
};

/**
 * The gateway's one reader of the event log. Each event is offered to every subscriber; a group
 * resolves it once, as its first member (all members share its rights), for every member whose
 * filter wants it, and each gets that result in its own queue. The loop never waits on a socket,
 * only on resolutions when too many are under way.
 */
export async function startEventHub({ eventLog, resolveEvent, readEntity, logger, records, options = {} }: HubSettings): Promise<EventHub> {
  const settings = { ...defaults, ...options };
  const groups = new Map<string, Group>();
  const outcomes = boundedCache<string, SharedOutcome>(settings.resolutionCacheSize);
  const practitionerMatches = appointmentPractitioner(readEntity, settings.resolutionCacheSize);
  const subscribers = new Set<Subscriber>();
  /** Those not on a train: replaying, or with events still waiting in their own queue. */
  const solo = new Set<Subscriber>();
  const rides = new Set<Ride>();
  let unsettled = 0;
  let settled: Array<() => void> = [];

  function tracked<T>(work: Promise<T>): Promise<T> {
    unsettled++;
    void work.finally(() => {
      unsettled--;
      for (const wake of settled.splice(0)) wake();
    });
    return work;
  }

  async function roomForMore(): Promise<void> {
    while (unsettled > settings.maxResolutionsInFlight) await new Promise<void>((resolve) => settled.push(resolve));
  }

  const representative = (group: Group) => group.members.values().next().value!;

  function resolved(group: Group, logged: LoggedEvent, placement: EventPlacement): SharedOutcome {
    const caller = representative(group);
    if (!inAudience(caller, logged.event)) return OUT_OF_AUDIENCE;
    const reads = new EventReads();
    const outcome = resolveEvent(group.selection, group.callerClass, caller, logged, placement, reads).catch((error: unknown) => {
      // Withheld rather than sent unchecked; the code only: a message may quote data.
      logger.warn({ logId: logged.logId, code: describeFailure(error).code }, 'event withheld from a subscriber group: resolution failed');
      return undefined;
    });
    // After the members waiting on it have taken it, and their deliveries the reads' records with them.
    if (records) void outcome.then(() => setImmediate(() => records.recordUntaken(reads)));
    return new SharedOutcome(tracked(outcome), discloser(group, logged), reads);
  }

  const discloser = (group: Group, logged: LoggedEvent) => records && ((result: ExecutionResult) => records.disclosureOf(group.selection, logged.event, result));

  function outcomeFor(group: Group, logged: LoggedEvent, placement: EventPlacement): SharedOutcome {
    if (group.latest?.logId === logged.logId) return group.latest.outcome;
    const key = `${group.key}\n${logged.logId}`;
    const outcome = cachedOr(outcomes, key, () => resolved(group, logged, placement));
    group.latest = { logId: logged.logId, outcome };
    return outcome;
  }

  const pendingFor = (group: Group, { practitionerId }: EventFilter) => (logged: LoggedEvent, placement: EventPlacement): SharedOutcome => {
    const outcome = outcomeFor(group, logged, placement);
    if (!practitionerId) return outcome;
    const matches = () => practitionerMatches(group.callerClass, representative(group), logged, practitionerId);
    return new SharedOutcome(
      outcome.result.then(async (result) => (result && (await matches()) ? result : undefined)),
      discloser(group, logged),
      outcome.reads,
    );
  };

  /**
   * Events are written to the socket as soon as they are resolved, so a replay reads on only as
   * fast as the socket sends: a backlog must not pile up into a slow-consumer cut of its own subscriber.
   */
  async function socketCaughtUp(subscriber: Subscriber, connection: SubscriberConnection): Promise<void> {
    while (!subscriber.queue.isEnded && connection.bufferedAmount() > settings.maxBufferedBytes / 2) await delay(REPLAY_DRAIN_POLL_MS);
  }

  async function replay(subscriber: Subscriber, connection: SubscriberConnection): Promise<void> {
    try {
      for (;;) {
        const batch = await eventLog.read(subscriber.position, settings.replayBatchSize);
        if (subscriber.queue.isEnded) return;
        for (const logged of batch) subscriber.take(logged);
        if (batch.length < settings.replayBatchSize) break;
        await subscriber.queue.shorterThan(settings.maxPendingEvents / 2);
        await socketCaughtUp(subscriber, connection);
        await roomForMore();
      }
      subscriber.goLive();
    } catch (error) {
      logger.warn({ code: describeFailure(error).code }, 'replay failed: event log unavailable');
      connection.close(LOG_UNAVAILABLE.code, LOG_UNAVAILABLE.reason);
      subscriber.queue.end();
    }
  }

  /**
   * Caught-up subscribers board their train before the event is offered, so it takes this event
   * for them; the others take it themselves. A train is offered the event once for all its riders.
   */
  async function dispatch(logged: LoggedEvent): Promise<void> {
    const placement = placementOf(logged.event);
    if (!placement) return;
    for (const subscriber of solo) {
      if (!subscriber.caughtUp) subscriber.offer(logged, placement);
      else {
        solo.delete(subscriber);
        ridden.get(subscriber)!.train.board(subscriber);
      }
    }
    for (const { train, request, pending } of rides) if (train.size > 0 && wantsEvent(request, logged, placement)) train.push(pending(logged, placement));
    await roomForMore();
  }

  const ridden = new Map<Subscriber, Ride>();

  function rideFor(group: Group, request: SubscriptionRequest): Ride {
    const key = JSON.stringify(request.filter);
    let ride = group.rides.get(key);
    if (!ride) {
      const recorded = records && ((outcome: SharedOutcome, caller: Caller) => records.recorded(outcome, caller));
      ride = { train: new EventTrain(settings.maxPendingEvents, recorded), request, pending: pendingFor(group, request.filter) };
      group.rides.set(key, ride);
      rides.add(ride);
    }
    return ride;
  }

  const loop: RunningLoop = eventLog.subscribe(await eventLog.lastId(), dispatch);
  const budget = watchBufferBudget(() => subscribers, settings.maxBufferedBytesTotal);

  return {
    join(request, caller, connection) {
      const callerClass = callerClassOf(caller);
      const key = `${callerClass}\n${request.selection.key}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { key, callerClass, selection: request.selection, members: new Map(), rides: new Map() }));
      const joined = group;
      const ride = rideFor(joined, request);
      const subscriber: Subscriber = new Subscriber(
        request,
        caller,
        connection,
        settings,
        ride.pending,
        () => {
          subscribers.delete(subscriber);
          solo.delete(subscriber);
          ridden.delete(subscriber);
          ride.train.leave(subscriber);
          joined.members.delete(subscriber);
          if (joined.members.size > 0) return;
          groups.delete(key);
          for (const each of joined.rides.values()) rides.delete(each);
        },
        records && ((outcome) => records.recorded(outcome, caller)),
      );
      joined.members.set(subscriber, caller);
      subscribers.add(subscriber);
      solo.add(subscriber);
      ridden.set(subscriber, ride);
      if (request.after !== undefined) void replay(subscriber, connection);
      return subscriber.queue;
    },
    get open() {
      return subscribers.size;
    },
    async close() {
      budget.stop();
      await loop.close();
      for (const subscriber of subscribers) subscriber.queue.end();
    },
  };
}
