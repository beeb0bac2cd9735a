import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { createLogger } from '../../platform/logger.ts';
import { SyncStore } from '../../subgraphs/odoo-finance/sync-store.ts';
import { issuedInvoiceFrom } from '../../subgraphs/odoo-finance/sync/billing-announcements.ts';
import { ODOO_SYNC_GROUP, startOdooSync, type OdooSyncOptions } from '../../subgraphs/odoo-finance/sync/odoo-sync.ts';
import { openTestEventLog, type TestEventLog } from '../events/event-logs.ts';
import { postgresUrl } from '../support/databases.ts';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.ts';
import { invoiceIdOf, invoiceIssued, newPatientId, odooInvoicesOf, openFinanceWorld, paymentPosted, type FinanceWorld } from './harness.ts';

const recovery = { timeout: 30_000, interval: 100 };

/**
 * The sync's own records, not the event log, say what Odoo still lacks: an Odoo outage during
 * which Redis came back empty (events and dead letters gone) still ends with every invoice in
 * Odoo, once each.
 */
describe('the Odoo sync catching up from its records', () => {
  let world: FinanceWorld;
  let redis: OwnRedis;
  let events: TestEventLog;
  let sync: RunningLoop | undefined;

  beforeAll(async () => {
    [world, redis] = await Promise.all([openFinanceWorld(17, postgresUrl), startOwnRedis()]);
    events = await openTestEventLog(redis.url, { commandTimeoutMs: 500 });
  });
  afterEach(async () => {
    await sync?.close();
    sync = undefined;
    world.odoo.setDown(false);
  });
  afterAll(async () => {
    await events?.dispose();
    await Promise.all([world?.close(), redis?.close()]);
  });

  const start = (options: Partial<OdooSyncOptions>) =>
    (sync = startOdooSync({ db: world.db, log: events.log, odoo: world.client, logger: createLogger('odoo-catch-up-test'), options }));
  const syncedAt = async (invoiceId: string) =>
    (await world.db.query<{ synced_at: Date | null }>('SELECT synced_at FROM invoice_link WHERE invoice_id = $1', [invoiceId]))[0]?.synced_at;

  it('puts every invoice in Odoo exactly once after Odoo was down and Redis came back empty', async () => {
    start({ maxAttempts: 2, backoff: { initialMs: 10, maxMs: 40 }, catchUpIntervalMs: 200 });
    world.odoo.setDown(true);
    const issued = [0, 1, 2, 3].map((n) => invoiceIssued(newPatientId(), [1_000 * (n + 1)]));
    const paid = paymentPosted(issued[0]!, 1_000);
    for (const event of [...issued, paid]) await events.log.append(event);
    // Recorded, given up on (dead letters), and not in Odoo.
    await vi.waitFor(async () => expect(await events.log.deadLetters(ODOO_SYNC_GROUP)).toHaveLength(4), recovery);
    for (const event of issued) expect(await syncedAt(invoiceIdOf(event))).toBeNull();

    await redis.restartEmpty();
    // Asked once the log has reconnected.
    await vi.waitFor(async () => expect(await events.log.deadLetters(ODOO_SYNC_GROUP)).toEqual([]), recovery);
    world.odoo.setDown(false);

    await vi.waitFor(async () => {
      for (const event of issued) expect(await syncedAt(invoiceIdOf(event))).toBeTruthy();
    }, recovery);
    for (const event of issued) expect(await odooInvoicesOf(world.client, invoiceIdOf(event))).toHaveLength(1);
    await vi.waitFor(async () => expect(await odooInvoicesOf(world.client, invoiceIdOf(issued[0]!))).toMatchObject([{ amount_residual: 0 }]), recovery);
    const payments = await world.client.searchRead('account.payment', [['ref', '=', paid.data.paymentId]], { fields: ['amount'] });
    expect(payments.map((payment) => payment.amount)).toEqual([10]);
  });

  it('catches up on start with what the records hold, before any event arrives', async () => {
    const waiting = invoiceIssued(newPatientId(), [2_500]);
    await new SyncStore(world.db).addIssuedInvoice(issuedInvoiceFrom(waiting.data));
    // A catch-up interval far longer than the test: only the pass at start can do it.
    start({ catchUpIntervalMs: 3_600_000 });
    await vi.waitFor(async () => expect(await syncedAt(invoiceIdOf(waiting))).toBeTruthy(), recovery);
    expect(await odooInvoicesOf(world.client, invoiceIdOf(waiting))).toHaveLength(1);
  });
});
