import type { GraphQLResolveInfo } from 'graphql';
import { flowsOwnedBy, type RealTimeFlow, type FlowId } from '../../policies/flows.ts';
import type { SubgraphName } from '../../schema/catalog.ts';
import type { Database } from '../database/database.ts';
import { badInput } from '../errors.ts';
import type { ConsumerGroupState, EventLog } from '../events/event-log.ts';
import { pinged, readinessOf, type CheckResult, type ReadinessCheck } from '../http/readiness.ts';
import { realTimeStatus, type FlowStatus } from '../operations/flow-status.ts';
import { recentTraces } from '../observability/tracing.ts';
import { pageSize } from '../validation.ts';
import type { RowScope } from './row-scope.ts';

/** What a subgraph tells the kit about its operations, besides its database and the event log. */
export interface OperationsOptions {
  /** The consumer groups the service runs (or, for webhooks, whose work it owns): shown and replayed by it alone. */
  consumerGroups?: readonly string[];
  /** Other dependencies, probed when operations ask (Odoo, the payer). */
  dependencies?: readonly ReadinessCheck[];
  /** The flows it owns that no consumer group measures, measured from its own records. */
  flows?: Partial<Record<FlowId, (now: Date) => Promise<FlowStatus>>>;
  /** Names besides its own and its groups' that its spans carry (the Odoo client's `odoo`). */
  spanServices?: readonly string[];
}

const statuses = { ready: 'READY', degraded: 'DEGRADED', 'not ready': 'NOT_READY' } as const;

const dependencyOf = ({ name, status, essential, reason }: CheckResult) => ({ name, status: status === 'up' ? 'UP' : 'DOWN', essential, reason: reason ?? null });

/** Asked once per answer, however many of its fields need it. */
function once<T>(work: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= work());
}

const emptyGroup = (group: string): ConsumerGroupState => ({ group, lag: 0, pending: 0, deadLetters: 0 });

/**
 * A service's own operational state, as the graph's `ServiceOperations` (each field resolved only
 * when asked: the values are methods the default resolver calls), and its replay of dead letters.
 */
export class ServiceOperations {
  private readonly groups: readonly string[];
  private readonly checks: readonly ReadinessCheck[];

  constructor(
    private readonly service: SubgraphName,
    database: Database,
    private readonly eventLog: EventLog | undefined,
    private readonly options: OperationsOptions = {},
  ) {
    this.groups = eventLog ? (options.consumerGroups ?? []) : [];
    this.checks = [
      { name: 'database', essential: true, probe: pinged(() => database.ping(), 'the database') },
      ...(eventLog ? [{ name: 'event-log', essential: false, probe: async () => void (await eventLog.groups()) }] : []),
      ...(options.dependencies ?? []),
    ];
  }

  /** The root field's answer. */
  state() {
    const readiness = once(() => readinessOf(this.checks));
    const groups = once(() => this.groupStates());
    return {
      service: this.service,
      status: async () => statuses[(await readiness()).status],
      dependencies: async () => (await readiness()).checks.map(dependencyOf),
      consumerGroups: async () => (await groups()).map((state) => this.consumerGroup(state)),
      flows: async () => this.flows(await groups(), new Date()),
      recentSpans: ({ first }: { first?: number | null }) => this.recentSpans(pageSize(first, 200)),
    };
  }

  /** Hands a group's dead letters to it again, on record as `action` by the request's caller. */
  async replay(group: string, scope: RowScope, action: string): Promise<{ group: string; replayed: number }> {
    if (!this.eventLog || !this.groups.includes(group)) {
      // The message does not repeat the value: it is the caller's input.
      throw badInput(`group is not a consumer group of ${this.service}`, { reason: 'UNKNOWN_CONSUMER_GROUP', field: 'group' });
    }
    scope.acted(action, group);
    return { group, replayed: await this.eventLog.replayDeadLetters(group) };
  }

  private async groupStates(): Promise<ConsumerGroupState[]> {
    if (this.groups.length === 0) return [];
    const states = new Map((await this.eventLog!.groups()).map((state) => [state.group, state]));
    return this.groups.map((group) => states.get(group) ?? emptyGroup(group));
  }

  private consumerGroup(state: ConsumerGroupState) {
    return {
      group: state.group,
      lag: state.lag,
      pending: state.pending,
      deadLetterCount: state.deadLetters,
      deadLetters: async ({ first }: { first?: number | null }) =>
        (await this.eventLog!.deadLetters(state.group)).slice(0, pageSize(first, 100)).map(({ logId, event, attempts, error, failedAt }) => ({
          logId,
          eventId: event.id,
          eventType: event.type,
          subject: event.subject ?? null,
          attempts,
          // The code only: a failure's message may quote the data the handler was working on.
          errorCode: error.code,
          failedAt: new Date(failedAt),
        })),
    };
  }

  private async flows(groups: readonly ConsumerGroupState[], now: Date): Promise<FlowStatus[]> {
    return Promise.all(
      flowsOwnedBy(this.service).map((flow) => {
        if (flow.kind === 'REAL_TIME' && flow.consumerGroup) return this.groupFlow(flow as RealTimeFlow & { id: FlowId }, groups, now);
        const measure = this.options.flows?.[flow.id];
        if (!measure) throw new Error(`${this.service} owns flow ${flow.id} and does not measure it`);
        return measure(now);
      }),
    );
  }

  private groupFlow(flow: RealTimeFlow & { id: FlowId }, groups: readonly ConsumerGroupState[], now: Date): FlowStatus {
    const state = groups.find((group) => group.group === flow.consumerGroup) ?? emptyGroup(flow.consumerGroup!);
    return realTimeStatus(flow, { waiting: state.lag + state.pending, oldestSince: state.oldestUnhandledAt, givenUp: state.deadLetters }, now);
  }

  private recentSpans(limit: number) {
    const services = new Set([this.service, ...this.groups, ...(this.options.spanServices ?? [])]);
    return (recentTraces()?.spansOf(services, limit) ?? []).map(({ traceId, spanId, parentSpanId, name, service, startMs, durationMs, error }) => ({
      traceId,
      spanId,
      parentSpanId: parentSpanId ?? null,
      name,
      service: service ?? null,
      startedAt: new Date(startMs),
      durationMs,
      error,
    }));
  }
}

/** `<service>Operations`: the service's state, for any subgraph. */
export const serviceOperationsResolver = (_: unknown, __: unknown, { operations }: { operations: ServiceOperations }) => operations.state();

/** `replay<Service>DeadLetters(group)`: on record under the mutation's name. */
export const replayDeadLettersResolver = (
  _: unknown,
  { group }: { group: string },
  { operations, scope }: { operations: ServiceOperations; scope: RowScope },
  info: GraphQLResolveInfo,
) => operations.replay(group, scope, info.fieldName);
