import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { setting } from '../../platform/config.ts';

/** The local PostgreSQL CI starts (see .ci/run); TEST_DATABASE_URL points elsewhere. */
export const postgresUrl = setting('TEST_DATABASE_URL');

/** Every storage suite runs on both engines. */
export const databaseEngines = [
  { engine: 'pglite', url: undefined },
  { engine: 'postgres', url: postgresUrl },
] as const;

/** A schema (or prefix) no other run on this machine uses. */
export const uniqueName = (base: string) => `${base}_t${randomBytes(4).toString('hex')}`;

/** Drops what a test created on PostgreSQL; nothing to do for PGlite, which lives in memory. */
export async function dropSchemas(url: string | undefined, ...schemas: string[]): Promise<void> {
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Drops every schema a launched system's subgraphs own (after `system.close()`). */
export async function dropSystemSchemas(url: string | undefined, system: { subgraphs: Record<string, { database: { schema: string } }> } | undefined): Promise<void> {
  if (system) await dropSchemas(url, ...Object.values(system.subgraphs).map((subgraph) => subgraph.database.schema));
}
