import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../platform/caller.ts';
import type { Database } from '../../platform/database/database.ts';
import { insertRows } from '../../platform/database/bulk-insert.ts';
import { once } from '../../platform/database/idempotency.ts';
import { migrate } from '../../platform/database/migrations.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { databaseEngines, dropSchemas, uniqueName } from '../support/databases.ts';

const migrations = new URL('./fixtures/migrations/', import.meta.url);

describe.each(databaseEngines)('Database contract on $engine', ({ url }) => {
  const schema = uniqueName('contract');
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ url, schema });
    await migrate(db, migrations);
  });
  afterAll(async () => {
    await db?.close();
    await dropSchemas(url, schema);
  });

  it('applies each migration once, platform ones first', async () => {
    expect(await migrate(db, migrations)).toEqual([]);
    const versions = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY seq');
    expect(versions.map((row) => row.version)).toEqual([
      'platform/001_idempotency_keys.sql',
      'platform/002_outbox.sql',
      'platform/003_inbox.sql',
      'platform/004_idempotency_per_caller.sql',
      'platform/005_outbox_log_position.sql',
      'platform/006_outbox_publication_order.sql',
      'platform/007_repointed_patient_reference.sql',
      'platform/008_outbox_event_id.sql',
      '001_visits.sql',
    ]);
  });

  it('keeps tables in its own schema', async () => {
    const [row] = await db.query<{ schema: string }>(`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'visit'`);
    expect(row?.schema).toBe(schema);
  });

  it('returns dates as calendar days and instants as Dates', async () => {
    const [row] = await db.query<{ day: unknown; at: unknown }>(`SELECT DATE '1980-02-29' AS day, TIMESTAMPTZ '2026-11-24T09:30:00Z' AS at`);
    expect(row?.day).toBe('1980-02-29');
    expect(row?.at).toEqual(new Date('2026-11-24T09:30:00Z'));
  });

  it('commits a transaction and rolls back a failed one', async () => {
    await db.transaction((tx) => tx.query(`INSERT INTO visit (id, note) VALUES ('v1', 'kept')`));
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO visit (id, note) VALUES ('v2', 'lost')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const ids = await db.query<{ id: string }>('SELECT id FROM visit ORDER BY id');
    expect(ids.map((row) => row.id)).toEqual(['v1']);
  });

  it('counts statements, so tests can prove batching', async () => {
    const before = db.statementCount;
    await db.query('SELECT 1');
    await db.query('SELECT 2');
    expect(db.statementCount - before).toBe(2);
  });

  it('does not count what background loops send', async () => {
    const before = db.statementCount;
    await db.background.query('SELECT 1');
    await db.background.transaction((tx) => tx.query('SELECT 2'));
    expect(db.statementCount).toBe(before);
  });

  it('inserts many rows in a few statements, with per-row expressions', async () => {
    const rows = Array.from({ length: 12_000 }, (_, n) => [`bulk-${n}`]);
    const before = db.statementCount;
    await insertRows(db, 'visit', ['id', { name: 'note', sql: `'bulk'` }], rows);
    expect(db.statementCount - before).toBeLessThanOrEqual(2);
    const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM visit WHERE note = 'bulk'`);
    expect(count?.n).toBe(12_000);
  });

  describe('idempotency keys', () => {
    const desk: Caller = { subject: 'desk-1', clientId: 'portal', roles: ['front_desk'], scopes: [], expiresAt: 0 };
    const create = (note: string) => (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) =>
      once(tx, { key: 'key-1', caller: desk, operation: 'createVisit' }, { note }, async () => {
        const id = `idem-${Math.random()}`;
        await tx.query('INSERT INTO visit (id, note) VALUES ($1, $2)', [id, note]);
        return { id };
      });

    it('returns the first result for a retry and creates nothing twice', async () => {
      const first = await db.transaction(create('first'));
      const retry = await db.transaction(create('first'));
      expect(retry).toEqual(first);
      const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM visit WHERE id LIKE 'idem-%'`);
      expect(count?.n).toBe(1);
    });

    it('refuses the same key for a different request', async () => {
      await expect(db.transaction(create('other'))).rejects.toMatchObject({ extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' } });
    });

    it('lets concurrent retries create one row', async () => {
      const concurrent = (note: string) =>
        db.transaction((tx) =>
          once(tx, { key: 'key-concurrent', caller: desk, operation: 'createVisit' }, { note }, async () => {
            const id = `race-${Math.random()}`;
            await tx.query('INSERT INTO visit (id, note) VALUES ($1, $2)', [id, note]);
            return { id };
          }),
        );
      const results = await Promise.all(Array.from({ length: 10 }, () => concurrent('same')));
      expect(new Set(results.map((result) => result.id)).size).toBe(1);
      const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM visit WHERE id LIKE 'race-%'`);
      expect(count?.n).toBe(1);
    });
  });
});
