import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../platform/database/database.ts';
import { openDatabase } from '../../platform/database/open.ts';
import { createLogger } from '../../platform/logger.ts';
import { RunStore } from '../../subgraphs/odoo-finance/reconciliation/run-store.ts';
import { reconciliationSchedulerOf } from '../../subgraphs/odoo-finance/subgraph.ts';
import { postgresUrl } from '../support/databases.ts';
import { invoiceIssued, newPatientId, openFinanceWorld, synced, type FinanceWorld } from './harness.ts';

// 02:00 in Brussels is 01:00 UTC in winter.
const schedule = { at: '02:00', timeZone: 'Europe/Brussels' };
const DAY_MS = 24 * 3_600_000;

describe('the scheduled reconciliation, two replicas on one PostgreSQL', () => {
  let world: FinanceWorld;
  let replicaB: Database;

  beforeAll(async () => {
    world = await openFinanceWorld(19, postgresUrl);
    replicaB = await openDatabase({ url: postgresUrl, schema: world.schema });
    await synced(world.sync, invoiceIssued(newPatientId(), [12_000]));
  });
  afterAll(async () => {
    await replicaB?.close();
    await world?.close();
  });

  it('runs each slot once, whichever replica ticks, and the slot due last when one starts late', async () => {
    let now = new Date('2026-12-07T01:30:00Z');
    const clock = () => now;
    const replicas = [world.db, replicaB].map((db) => reconciliationSchedulerOf(db, world.client, schedule, clock));

    // Both replicas wake at once, half an hour after the slot.
    const first = await Promise.all(replicas.map((replica) => replica.tick()));
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(first.find(Boolean)).toMatchObject({ trigger: 'SCHEDULED', slot: new Date('2026-12-07T01:00:00Z'), outcome: 'SUCCEEDED', mismatches: 0 });
    // And again, later the same day: nothing more.
    now = new Date('2026-12-07T18:00:00Z');
    expect((await Promise.all(replicas.map((replica) => replica.tick()))).filter(Boolean)).toEqual([]);

    // The next night, one of them was down: the other runs it alone.
    now = new Date(new Date('2026-12-08T01:00:05Z').getTime());
    expect(await replicas[1]!.tick()).toMatchObject({ slot: new Date('2026-12-08T01:00:00Z'), outcome: 'SUCCEEDED' });
    expect(await replicas[0]!.tick()).toBeUndefined();

    // Both down for two nights: the first to start runs the slot due last, once.
    now = new Date(now.getTime() + 2 * DAY_MS + 3_600_000);
    const late = await Promise.all(replicas.map((replica) => replica.tick()));
    expect(late.filter(Boolean).map((run) => run!.slot)).toEqual([new Date('2026-12-10T01:00:00Z')]);

    const slots = (await new RunStore(world.db).recent(10)).map((run) => run.slot?.toISOString()).sort();
    expect(slots).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-08T01:00:00.000Z', '2026-12-10T01:00:00.000Z']);
  });

  it('runs by itself once started: the loop takes the slot due', async () => {
    const clock = () => new Date('2026-12-11T09:00:00Z');
    const loops = [world.db, replicaB].map((db) => reconciliationSchedulerOf(db, world.client, schedule, clock).start(createLogger('test')));
    try {
      await vi.waitFor(async () => expect((await new RunStore(world.db).ofSlot(new Date('2026-12-11T01:00:00Z')))?.outcome).toBe('SUCCEEDED'), { timeout: 20_000, interval: 100 });
    } finally {
      await Promise.all(loops.map((loop) => loop.close()));
    }
    expect((await new RunStore(world.db).recent(10)).filter((run) => run.slot?.toISOString() === '2026-12-11T01:00:00.000Z')).toHaveLength(1);
  });
});
