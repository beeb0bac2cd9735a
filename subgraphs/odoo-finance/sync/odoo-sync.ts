import { hostname } from 'node:os';
import type { Database } from '../../../platform/database/database.ts';
import { pause, type Backoff } from '../../../platform/events/backoff.ts';
import type { DomainEvent } from '../../../platform/events/envelope.ts';
import type { EventLog } from '../../../platform/events/event-log.ts';
import { runLoop, type RunningLoop } from '../../../platform/events/loop.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { OdooClient } from '../odoo/client.ts';
import { catchUpFromRecords, clearOutageLetters } from './catch-up.ts';
import { recordFailedAttempt } from './failed-attempts.ts';
import { syncIssuedInvoice } from './invoice-sync.ts';
import { syncPostedPayment } from './payment-sync.ts';
import type { SyncContext } from './sync-context.ts';

export const ODOO_SYNC_GROUP = 'odoo-sync';

export interface OdooSyncOptions {
  /** Attempts at an event before the log dead-letters it. */
  maxAttempts: number;
  /** Between attempts at a failing event, and between catch-up checks while Odoo is still away. */
  backoff: Backoff;
  /** How often the records are checked for invoices and payments Odoo does not have yet (and once at start). */
  catchUpIntervalMs: number;
}

export const defaultOdooSyncOptions: OdooSyncOptions = { maxAttempts: 5, backoff: { initialMs: 1_000, maxMs: 30_000 }, catchUpIntervalMs: 30_000 };

export interface OdooSyncSettings {
  db: Database;
  log: EventLog;
  odoo: OdooClient;
  logger: Logger;
  options?: Partial<OdooSyncOptions>;
}

function workFor(sync: SyncContext, event: DomainEvent): (() => Promise<void>) | undefined {
  switch (event.type) {
    case 'org.healthgraph.invoice.issued.v1':
      return () => syncIssuedInvoice(sync, event);
    case 'org.healthgraph.payment.posted.v1':
      return () => syncPostedPayment(sync, event);
    default:
      return undefined;
  }
}

/**
 * Billing's invoices and payments into Odoo: a consumer group on the event log records each and
 * pushes it (retries with backoff, then dead letters), and a catch-up loop, at start and then
 * periodically, pushes what the records say Odoo still lacks (see catchUpFromRecords).
 */
export function startOdooSync({ db, log, odoo, logger, options }: OdooSyncSettings): RunningLoop {
  const { maxAttempts, backoff, catchUpIntervalMs } = { ...defaultOdooSyncOptions, ...options };
  const sync: SyncContext = { db, odoo, group: ODOO_SYNC_GROUP };
  const syncLogger = logger.child({ group: ODOO_SYNC_GROUP });
  const consumer = log.consume(
    ODOO_SYNC_GROUP,
    `${hostname()}-${process.pid}`,
    async ({ event }) => {
      const work = workFor(sync, event);
      if (!work) return;
      try {
        await work();
        syncLogger.info({ eventId: event.id, subject: event.subject }, 'synced to Odoo');
      } catch (error) {
        await recordFailedAttempt(db, event, error, maxAttempts);
        throw error;
      }
    },
    { maxAttempts, backoff },
  );
  const catchUp = runLoop('odoo catch-up', syncLogger, backoff, async (signal) => {
    const pushed = await catchUpFromRecords(sync);
    if (pushed > 0) syncLogger.info({ invoices: pushed }, 'caught up with Odoo from the records');
    const cleared = await clearOutageLetters(log, odoo, ODOO_SYNC_GROUP);
    if (cleared > 0) syncLogger.info({ cleared }, 'replayed the dead letters an Odoo outage left');
    await pause(catchUpIntervalMs, signal);
  });
  return {
    async close() {
      await Promise.all([consumer.close(), catchUp.close()]);
    },
  };
}
