import { setting } from '../config.ts';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface DatabaseSettings {
  /** PostgreSQL connection string; without one the subgraph runs on PGlite. */
  url?: string;
  /** The schema the subgraph owns (its name by default). */
  schema: string;
  /** PGlite only: a folder to persist to; in memory when absent. */
  pgliteDataDir?: string;
}

export function openDatabase({ url, schema, pgliteDataDir }: DatabaseSettings): Promise<Database> {
  return url ? openPostgres(url, schema) : openPglite(schema, pgliteDataDir);
}

/** DATABASE_URL selects PostgreSQL for every service; PGLITE_DATA_DIR persists the embedded one. */
export function databaseSettingsFromEnv(schema: string): DatabaseSettings {
  const pgliteRoot = setting('PGLITE_DATA_DIR');
  return { url: setting('DATABASE_URL'), schema, pgliteDataDir: pgliteRoot ? `${pgliteRoot}/${schema}` : undefined };
}
