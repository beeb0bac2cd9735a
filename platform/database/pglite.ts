import { PGlite, types } from '@electric-sql/pglite';
import { assertSchemaName, type Database, type Queryable, type Row } from './database.ts';

/**
 * PGlite: PostgreSQL compiled to WebAssembly, in process. One instance per subgraph, so each keeps
 * its own session search_path. It runs one statement at a time, and a transaction holds it whole,
 * which is what makes the embedded mode safe under concurrent requests.
 */
export async function openPglite(schema: string, dataDir?: string): Promise<Database> {
  assertSchemaName(schema);
  const db = await PGlite.create(dataDir, { parsers: { [types.DATE]: (value: string) => value } });
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  let statementCount = 0;
  const on = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      statementCount++;
      const result = await target.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      statementCount++;
      await target.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    schema,
    get statementCount() {
      return statementCount;
    },
    ...on(db),
    transaction: (work) => db.transaction((tx) => work(on(tx))),
    async ping() {
      return db.query('SELECT 1').then(() => true, () => false);
    },
    async close() {
      await db.close();
    },
  };
}
