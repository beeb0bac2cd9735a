import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Client id -> (sha256 of a registered document, hex -> the document). */
export type Safelist = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** One manifest per client: `<client id>.json`. */
const persistedOperationsDirectory = fileURLToPath(new URL('../../policies/persisted-operations/', import.meta.url));

/** The operation id Apollo Client, Apollo Router and Apollo Server's APQ agree on. */
export const operationHash = (document: string): string => createHash('sha256').update(document).digest('hex');

/** Apollo Router's and GraphQL Hive's code for an operation outside the persisted query list. */
export const NOT_IN_LIST_MESSAGE = 'This operation is not in the persisted query list of this client';

/** An operation as a client names it: by the whole document, or by its hash alone (`extensions.persistedQuery.sha256Hash`). */
export interface NamedOperation {
  query?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** The registered document `operation` names for `clientId`; undefined when that client has not registered it. */
export function registeredDocument(safelist: Safelist, clientId: string | undefined, { query, extensions }: NamedOperation): string | undefined {
  const hash: unknown = query ? operationHash(query) : (extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' && clientId !== undefined ? safelist.get(clientId)?.get(hash) : undefined;
}

interface ManifestOperation {
  id?: unknown;
  body?: unknown;
}

/**
 * Reads every `<client id>.json` of the directory. A manifest is in Apollo's persisted query manifest format
 * (`{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "name", "type", "body" }] }`),
 * as @apollo/generate-persisted-query-manifest writes it; the hashes are computed here, and an `id`, when
 * given, must be the body's sha256, so a hand-edited body cannot keep a stale id.
 */
export function loadSafelist(directory = persistedOperationsDirectory): Safelist {
  const safelist = new Map<string, ReadonlyMap<string, string>>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
    const manifest = JSON.parse(readFileSync(join(directory, file), 'utf8')) as {
      format?: unknown;
      version?: unknown;
      operations?: ManifestOperation[];
    };
    if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
      throw new Error(`${file} is not an apollo-persisted-query-manifest, version 1`);
    }
    safelist.set(basename(file, '.json'), new Map(manifest.operations.map((operation) => [idOf(operation, file), operation.body as string])));
  }
  return safelist;
}

function idOf({ id, body }: ManifestOperation, file: string): string {
  if (typeof body !== 'string') throw new Error(`${file}: every operation needs a body`);
  const hash = operationHash(body);
  if (id !== undefined && id !== hash) throw new Error(`${file}: operation id ${String(id)} is not the sha256 of its body (${hash})`);
  return hash;
}
