import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, Queryable } from '../../platform/database/database.ts';
import { processedOnce } from '../../platform/events/inbox.ts';
import { databaseEngines } from '../support/databases.ts';
import { booked, openTestEventLog } from './event-logs.ts';
import { migratedDatabase } from './migrated-database.ts';

describe.each(databaseEngines)('processedOnce on $engine', ({ url }) => {
  const suite = migratedDatabase(url, 'inbox');
  let db: Database;
  beforeAll(() => {
    db = suite.db;
  });

  /** A handler's change: a row named after the event, which would collide if made twice. */
  const record = (tx: Queryable, id: string) => async () => {
    await tx.query(`INSERT INTO appointment (id, status) VALUES ($1, 'HANDLED')`, [id]);
  };
  const rows = async (id: string) => (await db.query('SELECT id FROM appointment WHERE id = $1', [id])).length;

  it('runs the work once per consumer and event', async () => {
    expect(await db.transaction((tx) => processedOnce(tx, 'billing', 'event-1', record(tx, 'billing-1')))).toBe(true);
    expect(await db.transaction((tx) => processedOnce(tx, 'billing', 'event-1', record(tx, 'billing-1')))).toBe(false);
    expect(await db.transaction((tx) => processedOnce(tx, 'odoo-sync', 'event-1', record(tx, 'odoo-1')))).toBe(true);
    expect(await rows('billing-1')).toBe(1);
  });

  it('forgets an event whose work rolled back, so its redelivery does the work', async () => {
    const failing = db.transaction((tx) =>
      processedOnce(tx, 'billing', 'event-2', async () => {
        await record(tx, 'billing-2')();
        throw new Error('fee schedule unavailable');
      }),
    );
    await expect(failing).rejects.toThrow('fee schedule unavailable');
    expect(await db.transaction((tx) => processedOnce(tx, 'billing', 'event-2', record(tx, 'billing-2')))).toBe(true);
    expect(await rows('billing-2')).toBe(1);
  });

  it('makes an event published twice (a relay crash before marking) change things once', async () => {
    const { log, dispose } = await openTestEventLog(undefined);
    let handled = 0;
    const worker = log.consume('billing', 'replica-1', async ({ event }) => {
      await db.transaction((tx) => processedOnce(tx, 'billing', event.id, record(tx, `charge-${event.id}`)));
      handled++;
    });
    try {
      const event = booked(3);
      await log.append(event);
      await log.append(event);
      await vi.waitFor(() => expect(handled).toBe(2));
      expect(await rows(`charge-${event.id}`)).toBe(1);
      expect(await log.deadLetters('billing')).toEqual([]);
    } finally {
      await worker.close();
      await dispose();
    }
  });
});
