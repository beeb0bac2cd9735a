import pg from 'pg';
import { dropSchemas, uniqueName } from '../test/support/databases.ts';

/**
 * How long one durable commit of a small row takes on the audit trail's PostgreSQL, one at a time:
 * the floor that "record, then release" puts under every patient read answered alone (group commit
 * shares it between concurrent requests, but one request at a time waits for its own). It is the
 * disk's flush latency, so it differs between machines and between hours on one machine.
 */
export async function durableCommitMs(url: string, commits = 200): Promise<{ p50: number; p90: number }> {
  const schema = uniqueName('bench_commit');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.probe (n int)`);
    const times: number[] = [];
    for (let n = 0; n < commits; n++) {
      const start = performance.now();
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${schema}.probe VALUES ($1)`, [n]);
      await client.query('COMMIT');
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(commits * 0.5)]!, p90: times[Math.floor(commits * 0.9)]! };
  } finally {
    await client.end();
    await dropSchemas(url, schema);
  }
}
