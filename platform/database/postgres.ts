import pg from 'pg';
import { assertSchemaName, countingStatements, type Database, type Queryable, type Row } from './database.ts';

const DATE_OID = 1082;
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a local-midnight Date.
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(connectionString: string, schema: string, poolSize = 10): Promise<Database> {
  assertSchemaName(schema);
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString, max: poolSize, options: `-c search_path=${schema}`, types: typeParsers });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return countingStatements((onStatement) => {
    const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
      async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
        onStatement();
        const result = await client.query(sql, params as unknown[]);
        return result.rows as T[];
      },
      async exec(sql: string) {
        onStatement();
        await client.query(sql);
      },
    });
    return {
      kind: 'postgres',
      persistent: true,
      schema,
      ...on(pool),
      async transaction(work) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(on(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      ping: () => pool.query('SELECT 1').then(() => true, () => false),
      // Both views share the pool: closing either closes it (once).
      close: () => (pool.ended ? Promise.resolve() : pool.end()),
    };
  });
}
