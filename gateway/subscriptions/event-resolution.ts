import {
  GraphQLError,
  execute,
  responsePathAsArray,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import { backoffDelay, pause, type Backoff } from '../../platform/events/backoff.ts';
import type { LoggedEvent } from '../../platform/events/event-log.ts';
import type { Logger } from '../../platform/logger.ts';
import { entityQuery, entityQueryFor, type EntityQuery } from './entity-query.ts';
import type { ReadEntity } from './entity-reads.ts';
import { entityIdOf, type EntityField, type EventPlacement } from '../../platform/events/topics.ts';
import { isDenial } from './gateway-reads.ts';
import type { EventReads } from './held-reads.ts';
import type { SharedSelection } from './shared-selection.ts';

/** What reading the event's own entity says: the caller sees it; may not (denied, or null by a row rule); or nobody knows yet. */
type Verdict = { kind: 'visible' } | { kind: 'withheld' } | { kind: 'unavailable'; code: string };

/** One event resolved for one selection and caller: the state of one execution. */
interface Resolution {
  callerClass: string;
  caller: Caller;
  logged: LoggedEvent;
  placement: EventPlacement;
  variables: Record<string, unknown>;
  /** The entity reads' errors, moved to where their fields sit in this result. */
  errors: GraphQLError[];
  /** Unknown until the event's own entity is read. */
  verdict?: Verdict;
  /** The reads' access records, held for the deliveries to write. */
  reads: EventReads;
}

type Path = ReadonlyArray<string | number>;

/**
 * Executes a subscriber's selection on one event: `id`, `type`, `time` and the topic's states from
 * the log, each entity field read through the gateway as the caller. Resolves with nothing when the event's own
 * entity is null or denied to the caller: they do not learn the event happened. The access records
 * of its reads, when held, are added to `reads`, withheld or not.
 */
export type ResolveEvent = (
  selection: SharedSelection,
  callerClass: string,
  caller: Caller,
  logged: LoggedEvent,
  placement: EventPlacement,
  reads: EventReads,
) => Promise<ExecutionResult | undefined>;

export interface RetryOptions {
  /** Reads of an event whose own entity is unavailable (a subgraph down, a budget spent) before it is withheld. */
  attempts?: number;
  backoff?: Backoff;
}

function verdictOf(entity: unknown, errors: readonly GraphQLFormattedError[]): Verdict {
  if (entity !== null) return { kind: 'visible' };
  if (errors.length === 0 || errors.some(isDenial)) return { kind: 'withheld' };
  return { kind: 'unavailable', code: String(errors[0]!.extensions?.code ?? 'UNKNOWN') };
}

/** A read of just the entity's id: whether the caller may see it at all. */
const idOnly = new Map<EntityField, EntityQuery>();
const idQueryOf = (field: EntityField) => idOnly.get(field) ?? idOnly.set(field, entityQuery(field, '{ id }')).get(field)!;

export function eventResolver(schema: GraphQLSchema, readEntity: ReadEntity, logger: Logger, { attempts = 4, backoff = { initialMs: 250, maxMs: 4_000 } }: RetryOptions = {}): ResolveEvent {
  const subscriptionType = schema.getSubscriptionType();

  async function entityOf(resolution: Resolution, fieldName: string, query: EntityQuery, at: Path) {
    const id = entityIdOf(resolution.logged.event, query.field);
    if (id === undefined) return null;
    const { entity, errors, held } = await readEntity(resolution.callerClass, resolution.caller, query, resolution.variables, id);
    for (const read of held) resolution.reads.add(read);
    if (fieldName === resolution.placement.entity) resolution.verdict = verdictOf(entity, errors);
    resolution.errors.push(...errors.map((error) => relocated(error, at)));
    return entity;
  }

  const fieldResolver: GraphQLFieldResolver<unknown, Resolution> = (source, _args, resolution, info: GraphQLResolveInfo) => {
    if (info.parentType === subscriptionType) return source;
    if (info.parentType.name !== resolution.placement.topic.typeName) {
      // Inside an entity: the gateway's answer, keyed as the subscriber selected (aliases included).
      return (source as Record<string, unknown>)[info.path.key];
    }
    if (info.fieldName === 'id') return resolution.logged.logId;
    if (info.fieldName === 'type') return resolution.placement.name;
    if (info.fieldName === 'time') return resolution.logged.event.time;
    if (resolution.placement.topic.states?.includes(info.fieldName)) return (resolution.logged.event.data as Partial<Record<string, unknown>>)[info.fieldName] ?? null;
    const field = resolution.placement.topic.entities[info.fieldName];
    return field ? entityOf(resolution, info.fieldName, entityQueryFor(field, info), responsePathAsArray(info.path)) : null;
  };

  async function resolveOnce(selection: SharedSelection, callerClass: string, caller: Caller, logged: LoggedEvent, placement: EventPlacement, reads: EventReads) {
    const resolution: Resolution = { callerClass, caller, logged, placement, variables: selection.variables, errors: [], reads };
    const result = await execute({
      schema,
      document: selection.document,
      rootValue: logged,
      contextValue: resolution,
      variableValues: selection.variables,
      fieldResolver,
    });
    if (!resolution.verdict) {
      // The selection leaves out the event's own entity: its id is read, to know whether the caller may know.
      const probe: Resolution = { ...resolution, variables: {}, errors: [] };
      await entityOf(probe, placement.entity, idQueryOf(placement.topic.entities[placement.entity]!), []);
      resolution.verdict = probe.verdict;
    }
    const errors = [...(result.errors ?? []), ...resolution.errors];
    return { verdict: resolution.verdict!, result: errors.length > 0 ? { ...result, errors } : result };
  }

  // Not knowing whether the caller may see the event is not a reason to tell them: read again, then withhold.
  return async (selection, callerClass, caller, logged, placement, reads) => {
    for (let attempt = 1; ; attempt++) {
      const { verdict, result } = await resolveOnce(selection, callerClass, caller, logged, placement, reads);
      if (verdict.kind !== 'unavailable') return verdict.kind === 'visible' ? result : undefined;
      if (attempt >= attempts) {
        logger.warn({ logId: logged.logId, code: verdict.code, attempts }, 'event withheld from a subscriber group: its entity stayed unavailable');
        return undefined;
      }
      await pause(backoffDelay(backoff, attempt));
    }
  };
}

/** A sub-read's error, at the entity field's place: its path starts with the query field, which the entity field stands for. */
function relocated(error: GraphQLFormattedError, at: Path): GraphQLError {
  return new GraphQLError(error.message, { path: [...at, ...(error.path ?? []).slice(1)], extensions: error.extensions });
}
