import { readdir, readFile } from 'node:fs/promises';
import type { Database } from './database.ts';

/** Tables every subgraph has because the platform kit uses them (idempotency keys). */
const platformMigrations = new URL('./migrations/', import.meta.url);

async function sqlFiles(folder: URL, prefix: string) {
  const names = (await readdir(folder)).filter((file) => /^\d+_.+\.sql$/.test(file)).sort();
  return names.map((name) => ({ version: `${prefix}${name}`, url: new URL(name, folder) }));
}

/**
 * Applies the platform's then the subgraph's `NNN_name.sql` files in order, once each, recording
 * them in the schema's own `schema_migrations`. An advisory lock keeps two replicas starting
 * together from racing.
 */
export async function migrate(db: Database, folder: URL): Promise<string[]> {
  const files = [...(await sqlFiles(platformMigrations, 'platform/')), ...(await sqlFiles(folder, ''))];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrations:${db.schema}`]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (seq serial, version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const pending = files.filter((file) => !applied.has(file.version));
    for (const file of pending) {
      await tx.exec(await readFile(file.url, 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file.version]);
    }
    return pending.map((file) => file.version);
  });
}
