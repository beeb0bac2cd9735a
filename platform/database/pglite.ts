import { AsyncResource } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { assertSchemaName, countingStatements, type Database, type Queryable, type Row } from './database.ts';
import { pgliteTemplate } from './pglite-template.ts';

/**
 * PGlite: PostgreSQL compiled to WebAssembly, in process. One instance per subgraph, so each keeps
 * its own session search_path. It runs one statement at a time, and a transaction holds it whole,
 * which is what makes the embedded mode safe under concurrent requests.
 */
export async function openPglite(schema: string, dataDir?: string): Promise<Database> {
  assertSchemaName(schema);
  // PGlite makes its own folder but not the ones above it (PGLITE_DATA_DIR=<root>, a folder per schema).
  if (dataDir) await mkdir(dirname(dataDir), { recursive: true });
  const { pgliteWasmModule, initdbWasmModule, snapshot } = await pgliteTemplate();
  const db = await PGlite.create({
    dataDir,
    pgliteWasmModule,
    initdbWasmModule,
    // An in-memory database starts from the template's empty cluster instead of running initdb.
    loadDataDir: dataDir ? undefined : snapshot,
    parsers: { [types.DATE]: (value: string) => value },
  });
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  return countingStatements((onStatement) => {
    const on = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
      async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
        onStatement();
        const result = await target.query<T>(sql, params as unknown[]);
        return result.rows;
      },
      async exec(sql: string) {
        onStatement();
        await target.exec(sql);
      },
    });
    return {
      kind: 'pglite',
      persistent: dataDir !== undefined,
      schema,
      ...on(db),
      // PGlite calls a waiting transaction's work from whoever released its lock: bound, it runs in its caller's context (its trace).
      transaction: (work) => db.transaction(AsyncResource.bind((tx) => work(on(tx)))),
      ping: () => db.query('SELECT 1').then(() => true, () => false),
      // Both views share the instance: closing either closes it (once).
      close: () => (db.closed ? Promise.resolve() : db.close()),
    };
  });
}
