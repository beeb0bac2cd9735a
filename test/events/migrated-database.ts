import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';

const migrations = new URL('./fixtures/migrations/', import.meta.url);

/**
 * A schema of its own for the suite, with the platform's migrations (outbox, inbox) and a stand-in
 * subgraph table; dropped afterwards. Read `.db` inside tests and hooks.
 */
export function migratedDatabase(url: string | undefined, base: string): { readonly db: Database; readonly schema: string } {
  const schema = uniqueName(base);
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openDatabase({ url, schema });
    await migrate(db, migrations);
  });
  afterAll(async () => {
    await db?.close();
    await dropSchemas(url, schema);
  });
  return {
    schema,
    get db() {
      if (!db) throw new Error('The database opens in beforeAll');
      return db;
    },
  };
}
