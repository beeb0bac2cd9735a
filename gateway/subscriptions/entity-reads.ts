import DataLoader from 'dataloader';
import type { GraphQLFormattedError } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import { boundedCache, cachedOr } from '../../platform/cache.ts';
import { ErrorCode } from '../../platform/errors.ts';
import { entityAlias, entityIdVariable, type EntityQuery } from './entity-query.ts';
import type { ReadAs } from './gateway-reads.ts';
import type { ReadRecords } from './held-reads.ts';

/** One entity as the gateway answered it; error paths start with the field that stands for it. */
export interface EntityRead {
  entity: unknown;
  errors: readonly GraphQLFormattedError[];
  /** The access records of the reads that answered it, when held for the deliveries to write. */
  held: ReadRecords[];
}

/** Reads one entity by id, as `caller`, whose rights are those of `callerClass`. */
export type ReadEntity = (callerClass: string, caller: Caller, query: EntityQuery, variables: Record<string, unknown>, id: string) => Promise<EntityRead>;

/** The gateway refusing a batch as a whole (over a limit or a cost its ids alone are not): they are read one by one. */
const BATCH_REFUSALS = new Set<string>([
  ErrorCode.COST_LIMIT_EXCEEDED,
  ErrorCode.MAX_TOKENS_EXCEEDED,
  ErrorCode.MAX_DEPTH_EXCEEDED,
  ErrorCode.MAX_ALIASES_EXCEEDED,
  ErrorCode.MAX_ROOT_FIELDS_EXCEEDED,
  ErrorCode.MAX_DIRECTIVES_EXCEEDED,
]);

const refusedAsBatch = (ids: readonly string[], errors: readonly GraphQLFormattedError[]) =>
  ids.length > 1 && errors.some((error) => BATCH_REFUSALS.has(String(error.extensions?.code)));

/**
 * Entity reads of one selection and class of caller, batched with DataLoader: the reads asked for
 * in one tick (the events of one read of the log, when the hub is behind) go as one operation of
 * aliased root fields, so a subgraph answers them with one query. Alone, an event is read alone.
 */
export function batchedEntityReads(readAs: ReadAs, { maxBatchSize = 20, capacity = 1_000 } = {}): ReadEntity {
  const loaders = boundedCache<string, DataLoader<string, EntityRead>>(capacity);
  /** Selections the gateway refused to read in batches: read one id at a time from then on. */
  const single = new Set<string>();

  async function read(caller: Caller, query: EntityQuery, variables: Record<string, unknown>, ids: readonly string[]): Promise<EntityRead[]> {
    const idVariables = Object.fromEntries(ids.map((id, index) => [entityIdVariable(index), id]));
    const { data, errors = [], held } = await readAs(caller, query.forIds(ids.length), { ...variables, ...idVariables });
    const heldByBatch = held ? [held] : [];
    if (refusedAsBatch(ids, errors)) {
      single.add(query.key);
      const alone = (await Promise.all(ids.map((id) => read(caller, query, variables, [id])))).flat();
      return alone.map((entityRead) => ({ ...entityRead, held: [...heldByBatch, ...entityRead.held] }));
    }
    return ids.map((_, index) => ({
      entity: data?.[entityAlias(index)] ?? null,
      // An error without a path (rate limited, audit unavailable...) concerns every id.
      errors: errors.filter((error) => !error.path?.length || error.path[0] === entityAlias(index)),
      held: heldByBatch,
    }));
  }

  return (callerClass, caller, query, variables, id) => {
    const key = JSON.stringify([callerClass, query.key, variables, single.has(query.key)]);
    const loader = cachedOr(loaders, key, () => new DataLoader((ids) => read(caller, query, variables, ids), { cache: false, maxBatchSize: single.has(query.key) ? 1 : maxBatchSize }));
    return loader.load(id);
  };
}
