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

/** How long a registry's agreement is used before it is counted again: it moves slowly. */
const KEPT_MS = 60 * 60 * 1000;

const kept = new Map<string, { at: number; statistics: Promise<RegistryStatistics> }>();

/**
 * The patients in use and how often two of them share each compared field's value (the sum over
 * values of count × (count − 1), over n × (n − 1), at least one pair's worth, as `frequenciesOf`): what the registry's matcher weighs a pair
 * against (`registryMatcher`). Counted once an hour per database server and schema, over the whole
 * registry: an aggregate of every patient, not a read of any (a million take a few seconds, paid
 * by the first match of the hour).
 */
export async function registryStatistics(db: Queryable): Promise<RegistryStatistics> {
  // The server's start time tells apart embedded databases of one name in one process (tests, a restart).
  const [{ registry } = { registry: '' }] = await db.query<{ registry: string }>(
    `SELECT current_database() || '.' || current_schema() || '@' || pg_postmaster_start_time() AS registry`,
  );
  const entry = kept.get(registry);
  if (entry && Date.now() - entry.at < KEPT_MS) return entry.statistics;
  const statistics = count(db);
  kept.set(registry, { at: Date.now(), statistics });
  statistics.catch(() => kept.delete(registry));
  return statistics;
}

async function count(db: Queryable): Promise<RegistryStatistics> {
  const fields = Object.keys(VALUES);
  const [row = {}] = await db.query<Record<string, number | null>>(
    `WITH registry AS (SELECT ${fields.map((field) => `${VALUES[field]} AS "${field}"`).join(', ')} FROM patient WHERE replaced_by IS NULL)
     SELECT (SELECT count(*)::float8 FROM registry) AS records, ${fields.map((field) => `(SELECT greatest(sum(n * (n - 1)), 1) / nullif(sum(n) * (sum(n) - 1), 0) FROM (SELECT count(*)::float8 AS n FROM registry WHERE "${field}" IS NOT NULL GROUP BY "${field}") AS per_value) AS "${field}"`).join(', ')}`,
  );
  const agreement: Record<string, number> = {};
  for (const field of fields) if (row[field] != null) agreement[field] = Number(row[field]);
  return { records: Number(row.records ?? 0), agreement };
}
