import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresUrl } from './databases.ts';

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A database of its own on the shared PostgreSQL, for tests that cut connections: terminating its
 * backends, or refusing new ones, touches no other test's.
 */
export interface OwnDatabase {
  name: string;
  url: string;
  /** Terminates every backend connected to it; answers how many. */
  terminateBackends(): Promise<number>;
  /** Refuses (false) or accepts again (true) new connections: a database gone, then back. */
  allowConnections(allowed: boolean): Promise<void>;
  drop(): Promise<void>;
}

export async function createOwnDatabase(base: string): Promise<OwnDatabase> {
  const name = `${base}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    terminateBackends: () =>
      withAdmin(async (admin) => {
        const result = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        return result.rowCount ?? 0;
      }),
    allowConnections: (allowed) => withAdmin(async (admin) => void (await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allowed}`))),
    drop: () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** Polls `attempt` until it resolves, at most `boundMs`; answers how long that took. */
export async function timeUntil(attempt: () => Promise<unknown>, boundMs: number, everyMs = 20): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await attempt();
      return performance.now() - started;
    } catch (error) {
      if (performance.now() - started > boundMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
