import pg from 'pg';
import { assertSchemaName, countingStatements, type Database, type Queryable, type Row } from './database.ts';

/** SQLSTATE 23505. */
const UNIQUE_VIOLATION = '23505';

const DATE_OID = 1082;
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a local-midnight Date.
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** What a lost connection emits; whoever waits on that connection gets the error from its own statement. */
const ignoreLostConnection = () => undefined;

export async function openPostgres(connectionString: string, schema: string, poolSize = 10): Promise<Database> {
  assertSchemaName(schema);
  const admin = new pg.Client({ connectionString });
  admin.on('error', ignoreLostConnection);
  await admin.connect().catch((error: NodeJS.ErrnoException) => {
    // Named by the setting, never with the URL's password: `getaddrinfo ENOTFOUND db` alone says neither what nor where.
    throw new Error(`DATABASE_URL: PostgreSQL at ${new URL(connectionString).host} did not accept a connection (${error.code ?? error.message})`, { cause: error });
  });
  try {
    // Not safe against a concurrent one (gateway workers start together): the loser's unique_violation means it exists.
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: { code?: string }) => {
      if (error.code !== UNIQUE_VIOLATION) throw error;
    });
  } finally {
    await admin.end();
  }
  // A database that does not answer a connection attempt in time fails the statement rather than hanging it.
  const pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 10_000, options: `-c search_path=${schema}`, types: typeParsers });
  // A client losing its connection (a restart, pg_terminate_backend) must not crash the process.
  // The pool's 'error' covers idle clients only; a checked-out one emits on itself, so every client
  // gets a listener for its whole life. The statement in flight rejects; the pool replaces the client.
  pool.on('error', ignoreLostConnection);
  pool.on('connect', (client) => client.on('error', ignoreLostConnection));
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
        // A client that could not roll back is in an unknown state: released with an error, the pool drops it.
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const result = await work(on(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
          throw error;
        } finally {
          client.release(broken);
        }
      },
      ping: () => pool.query('SELECT 1').then(() => true, () => false),
      // Both views share the pool: closing either closes it (once).
      close: () => (pool.ended ? Promise.resolve() : pool.end()),
    };
  });
}
