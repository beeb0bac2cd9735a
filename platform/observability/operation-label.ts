import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const persistedOperations = fileURLToPath(new URL('../../policies/persisted-operations/', import.meta.url));

/** The names of every registered operation (the safelist's manifests, whether safelist mode is on or not). */
function registeredOperationNames(directory = persistedOperations): ReadonlySet<string> {
  const names = new Set<string>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
    const { operations = [] } = JSON.parse(readFileSync(join(directory, file), 'utf8')) as { operations?: { name?: unknown }[] };
    for (const { name } of operations) if (typeof name === 'string') names.add(name);
  }
  return names;
}

const registered = registeredOperationNames();

/**
 * An operation name as a metric label: a caller names its operations as it likes, so only registered
 * names are kept; an unnamed operation is "anonymous", any other "other". A subgraph sees the
 * gateway's fetch names (`PatientOverview__billing__1`): the operation they were planned from.
 */
export function operationLabel(operationName: string | null | undefined): string {
  if (!operationName) return 'anonymous';
  const planned = operationName.replace(/__[a-z_-]+__\d+$/, '');
  return registered.has(planned) ? planned : 'other';
}

/** Error codes are constants our servers and Apollo's set (`FORBIDDEN`, `GRAPHQL_VALIDATION_FAILED`); anything else is "OTHER". */
export function errorCodeLabel(code: unknown): string {
  return typeof code === 'string' && /^[A-Z][A-Z_]{2,39}$/.test(code) ? code : 'OTHER';
}
