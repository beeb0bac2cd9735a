import { createHash } from 'node:crypto';
import { parse, print, type DocumentNode } from 'graphql';
import { boundedCache, cachedOr } from '../../platform/cache.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const byQueryText = boundedCache<string, string>(5_000);

/**
 * sha256 of the printed document the caller sent, so that the same operation has the same hash
 * whatever its whitespace, and whatever other plugins removed from it or added to it for this
 * caller. Cached by a hash of the query text, so a hot operation is parsed here once.
 */
export function operationHash(query: string | undefined, document: DocumentNode): string {
  if (query === undefined) return sha256(print(document));
  const textHash = sha256(query);
  return cachedOr(byQueryText, textHash, () => sha256(print(parse(query))));
}
