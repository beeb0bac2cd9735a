// Issue 12, finding 1: a PostgreSQL restart crashed the gateway (`Unhandled 'error' event … 57P01`):
// a client checked out for a transaction had no 'error' listener, the pool's covers idle clients only.
// Here every backend of a database of its own is terminated, three times, while transactions and
// plain queries run; the process must survive and the database serve again without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { createOwnDatabase, timeUntil, type OwnDatabase } from '../support/own-database.ts';

const WORKERS = 12;
const KILLS = 3;
/** A database that lost its connections serves again within this bound. */
const RECOVERY_BOUND_MS = 5_000;

describe('finding 1: terminated backends under load', () => {
  let own: OwnDatabase;
  let db: Database;

  beforeAll(async () => {
    own = await createOwnDatabase('faults');
    db = await openDatabase({ url: own.url, schema: 'app' });
    await db.exec('CREATE TABLE visit (id serial PRIMARY KEY, worker int NOT NULL)');
  });
  afterAll(async () => {
    await db?.close();
    await own?.drop();
  });

  it('survives every backend terminated three times mid-transaction, and serves again within the bound', async () => {
    let running = true;
    let committed = 0;
    let failed = 0;
    const worker = async (n: number) => {
      while (running) {
        try {
          await db.transaction(async (tx) => {
            await tx.query('INSERT INTO visit (worker) VALUES ($1)', [n]);
            // Hold the client between statements: the moment the old code had no listener for.
            await new Promise((resolve) => setTimeout(resolve, 5));
            await tx.query('SELECT pg_sleep(0.005)');
          });
          committed++;
          await db.query('SELECT count(*) FROM visit WHERE worker = $1', [n]);
        } catch {
          failed++;
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, n) => worker(n));
    const recoveries: number[] = [];
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const before = committed;
        await timeUntil(async () => {
          if (committed < before + 20) throw new Error('not enough load yet');
        }, 30_000);
        expect(await own.terminateBackends()).toBeGreaterThan(0);
        recoveries.push(await timeUntil(() => db.transaction((tx) => tx.query('INSERT INTO visit (worker) VALUES (-1)')), RECOVERY_BOUND_MS));
      }
    } finally {
      running = false;
      await Promise.all(workers);
    }
    console.log(`terminated backends ${KILLS} times under ${WORKERS} workers: ${committed} transactions committed, ${failed} statements failed, served again after ${recoveries.map(Math.round).join(', ')} ms`);
    expect(failed).toBeGreaterThan(0);
    expect(await db.ping()).toBe(true);
    const [row] = await db.query<{ rows: number }>('SELECT count(*)::int AS rows FROM visit WHERE worker >= 0');
    // Every acknowledged commit is there; a commit whose answer was lost with its connection may be too.
    expect(row!.rows).toBeGreaterThanOrEqual(committed);
    expect(row!.rows).toBeLessThanOrEqual(committed + failed);
  }, 60_000);
});
