import type { Queryable } from '../../platform/database/database.ts';
import type { RegistryStatistics } from './matching/trained.ts';

/**
 * Per compared field, the value as the matcher folds it, near enough in SQL (lower case, the
 * first given name, digits of the first phone, no spaces in a postcode; accents stay): records
 * sharing a value are what the field's agreement counts.
 */
const VALUES: Readonly<Record<string, string>> = {
  given: `lower(split_part(given_names[1], ' ', 1))`,
  family: 'lower(family_name)',
  birthDate: 'birth_date::text',
  gender: `nullif(lower(gender), 'unknown')`,
  identifier: `nullif(lower(regexp_replace(national_identifier, '[^A-Za-z0-9]', '', 'g')), '')`,
  phone: `nullif(right(regexp_replace((SELECT point->>'value' FROM jsonb_array_elements(telecom) AS point WHERE point->>'system' <> 'EMAIL' LIMIT 1), '[^0-9]', '', 'g'), 10), '')`,
  addressLine: `lower(address->>'line')`,
  city: `nullif(lower(address->>'city'), '')`,
  postcode: `nullif(lower(replace(address->>'postalCode', ' ', '')), '')`,
  state: `nullif(lower(address->>'state'), '')`,
};

/** How long a registry's statistics are used before they are read, and counted again, anew: they move slowly. */
const KEPT_MS = 60 * 60 * 1000;

/** Patients a match counts on its own connection when no statistics are kept yet: a bounded sample, not the registry. */
const SAMPLE = 50_000;

const kept = new Map<string, { at: number; statistics: Promise<RegistryStatistics> }>();
/** Counts of whole registries under way on background connections, by registry: one at a time each. */
const counting = new Map<string, Promise<void>>();

/**
 * The patients in use and how often two of them share each compared field's value (the sum over
 * values of count × (count − 1), over n × (n − 1), at least one pair's worth, as `frequenciesOf`):
 * what the registry's matcher weighs a pair against (`registryMatcher`). Read from the row
 * `npm run mpi:dedupe` keeps (`keepRegistryStatistics`), once an hour per database server and
 * schema; a row an hour old is counted again from `background`, not on the caller's connection.
 * With no row yet, the caller counts a sample of `sample` patients (a match must not wait for a
 * million) and the whole registry is counted from `background` and kept.
 */
export async function registryStatistics(db: Queryable, background?: Queryable, { sample = SAMPLE } = {}): Promise<RegistryStatistics> {
  // The server's start time tells apart embedded databases of one name in one process (tests, a restart).
  const [{ registry } = { registry: '' }] = await db.query<{ registry: string }>(
    `SELECT current_database() || '.' || current_schema() || '@' || pg_postmaster_start_time() AS registry`,
  );
  const entry = kept.get(registry);
  if (entry && Date.now() - entry.at < KEPT_MS) return entry.statistics;
  const statistics = readOrSample(db, registry, background, sample);
  kept.set(registry, { at: Date.now(), statistics });
  statistics.catch(() => kept.delete(registry));
  return statistics;
}

async function readOrSample(db: Queryable, registry: string, background: Queryable | undefined, sample: number): Promise<RegistryStatistics> {
  const [row] = await db.query<{ records: number; agreement: Record<string, number>; age_ms: number }>(
    `SELECT records, agreement, extract(epoch FROM now() - counted_at) * 1000 AS age_ms FROM registry_statistics`,
  );
  if (background && (!row || Number(row.age_ms) >= KEPT_MS)) countInBackground(background, registry);
  if (row) return { records: Number(row.records), agreement: row.agreement };
  return count(db, sample);
}

/** Counts the whole registry on `background` and keeps the row; a failure leaves the next hour's match to try again. */
function countInBackground(background: Queryable, registry: string): void {
  if (counting.has(registry)) return;
  const done = count(background)
    .then((statistics) => keepRegistryStatistics(background, statistics))
    // The next match reads the row kept, not the sample or the old row this process holds.
    .then(() => void kept.delete(registry))
    .catch(() => undefined)
    .finally(() => counting.delete(registry));
  counting.set(registry, done);
}

/** Resolves when the counts under way in the background are kept (for tests and an orderly stop). */
export async function registryStatisticsKept(): Promise<void> {
  await Promise.all(counting.values());
}

/** Keeps a registry's statistics, counted by `npm run mpi:dedupe` or in the background, for every match to read. */
export async function keepRegistryStatistics(db: Queryable, statistics: RegistryStatistics): Promise<void> {
  await db.query(
    `INSERT INTO registry_statistics (records, agreement) VALUES ($1, $2)
     ON CONFLICT (only_row) DO UPDATE SET records = excluded.records, agreement = excluded.agreement, counted_at = now()`,
    [statistics.records, JSON.stringify(statistics.agreement)],
  );
}

/** The statistics of the patients in use, their agreement over the first `sample` of them when given (their number is always all of them). */
async function count(db: Queryable, sample?: number): Promise<RegistryStatistics> {
  const fields = Object.keys(VALUES);
  const limit = sample === undefined ? '' : ` LIMIT ${Math.max(2, Math.floor(sample))}`;
  const [row = {}] = await db.query<Record<string, number | null>>(
    `WITH registry AS (SELECT ${fields.map((field) => `${VALUES[field]} AS "${field}"`).join(', ')} FROM patient WHERE replaced_by IS NULL${limit})
     SELECT (SELECT count(*)::float8 FROM patient WHERE replaced_by IS NULL) AS records, ${fields.map((field) => `(SELECT greatest(sum(n * (n - 1)), 1) / nullif(sum(n) * (sum(n) - 1), 0) FROM (SELECT count(*)::float8 AS n FROM registry WHERE "${field}" IS NOT NULL GROUP BY "${field}") AS per_value) AS "${field}"`).join(', ')}`,
  );
  const agreement: Record<string, number> = {};
  for (const field of fields) if (row[field] != null) agreement[field] = Number(row[field]);
  return { records: Number(row.records ?? 0), agreement };
}
