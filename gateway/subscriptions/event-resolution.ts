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
import type { LoggedEvent } from '../../platform/events/event-log.ts';
import { entityQuery, entityQueryFor, ENTITY_ID } from './entity-query.ts';
import { entityIdOf, type EntityField, type EventPlacement } from './event-topics.ts';
import { isDenial, type ReadAs } from './gateway-reads.ts';
import type { SharedSelection } from './shared-selection.ts';

/** One event resolved for one selection and caller: the state of one execution. */
interface Resolution {
  caller: Caller;
  logged: LoggedEvent;
  placement: EventPlacement;
  variables: Record<string, unknown>;
  /** The entity reads' errors, moved to where their fields sit in this result. */
  errors: GraphQLError[];
  /** Whether the event's own entity came back to this caller; unknown until read. */
  visible?: boolean;
}

type Path = ReadonlyArray<string | number>;

/**
 * Executes a subscriber's selection on one event: `id`, `type` and `time` from the log, each
 * entity field read through the gateway as the caller. Resolves with nothing when the event's own
 * entity is null or denied to the caller: they do not learn the event happened.
 */
export type ResolveEvent = (selection: SharedSelection, caller: Caller, logged: LoggedEvent, placement: EventPlacement) => Promise<ExecutionResult | undefined>;

export function eventResolver(schema: GraphQLSchema, readAs: ReadAs): ResolveEvent {
  const subscriptionType = schema.getSubscriptionType();

  async function readEntity(resolution: Resolution, fieldName: string, field: EntityField, query: string, at: Path) {
    const id = entityIdOf(resolution.logged.event, field);
    if (id === undefined) return null;
    const { data, errors = [] } = await readAs(resolution.caller, query, { ...resolution.variables, [ENTITY_ID]: id });
    const entity = data?.[field.query] ?? null;
    if (fieldName === resolution.placement.entity) {
      // Denied, or gone (a row rule answers null): withheld. Unavailable: delivered, with the error.
      resolution.visible = entity !== null || (errors.length > 0 && !errors.some(isDenial));
    }
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
    const field = resolution.placement.topic.entities[info.fieldName];
    return field ? readEntity(resolution, info.fieldName, field, entityQueryFor(field, info), responsePathAsArray(info.path)) : null;
  };

  return async (selection, caller, logged, placement) => {
    const resolution: Resolution = { caller, logged, placement, variables: selection.variables, errors: [] };
    const result = await execute({
      schema,
      document: selection.document,
      rootValue: logged,
      contextValue: resolution,
      variableValues: selection.variables,
      fieldResolver,
    });
    if (resolution.visible === undefined) {
      // The selection leaves out the event's own entity: read its id, to know whether the caller may know.
      const field = placement.topic.entities[placement.entity]!;
      const probe: Resolution = { ...resolution, errors: [] };
      await readEntity(probe, placement.entity, field, entityQuery(field, '{ id }'), []);
      resolution.visible = probe.visible;
    }
    if (!resolution.visible) return undefined;
    const errors = [...(result.errors ?? []), ...resolution.errors];
    return errors.length > 0 ? { ...result, errors } : result;
  };
}

/** A sub-read's error, at the entity field's place: its path starts with the query field, which the entity field stands for. */
function relocated(error: GraphQLFormattedError, at: Path): GraphQLError {
  return new GraphQLError(error.message, { path: [...at, ...(error.path ?? []).slice(1)], extensions: error.extensions });
}
