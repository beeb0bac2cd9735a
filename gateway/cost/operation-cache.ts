import type { LRUCache } from 'lru-cache';
import { boundedCache, cachedOr } from '../../platform/cache.ts';
import type { Variables } from './cost-schema.ts';

/** What demand control's work on a request depends on, besides the cost schema. */
export interface CostedOperation {
  /** Apollo Server's sha256 of the query text: the same for every request sending that text. */
  queryHash: string;
  operationName?: string | null;
  variables?: Variables;
}

/**
 * What demand control works out from an operation (its estimate, how to price its responses),
 * remembered per query, operation and variables: every caller sending the same query has it
 * worked out once, not on every request.
 *
 * Strings in the variables are left out (as ''), so that requests differing only in ids, names or
 * dates share one entry, and no entry holds them: demand control reads a variable as a list (its
 * length), an input object (its fields), a number (a page size), a boolean (@skip, @include) or
 * null, never a string's content. The work is given the variables as the key has them.
 */
export class OperationCache<V extends {}> {
  private readonly entries: LRUCache<string, V>;

  constructor(capacity = 2_000) {
    this.entries = boundedCache(capacity);
  }

  get({ queryHash, operationName, variables }: CostedOperation, work: (variables: Variables) => V): V {
    const shape = JSON.stringify(variables ?? {}, withoutText);
    const key = JSON.stringify([queryHash, operationName ?? null]) + shape;
    return cachedOr(this.entries, key, () => work(JSON.parse(shape) as Variables));
  }
}

const withoutText = (_key: string, value: unknown): unknown => (typeof value === 'string' ? '' : value);
