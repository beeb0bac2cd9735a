import type { Database } from '../database/database.ts';
import type { Logger } from '../logger.ts';
import { pause, type Backoff } from './backoff.ts';
import type { DomainEvent } from './envelope.ts';
import type { EventLog } from './event-log.ts';
import { runLoop, type RunningLoop } from './loop.ts';
import { onOutboxWrite } from './outbox.ts';

export interface OutboxRelayOptions {
  /** The longest a committed event waits when no write in this process woke the relay. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Between tries while the event log is unreachable. */
  backoff?: Backoff;
}

const relayDefaults = { pollIntervalMs: 1_000, batchSize: 100, backoff: { initialMs: 100, maxMs: 30_000 } };
/** After a write, polls start this soon and slow down again: on PostgreSQL the commit follows the write. */
const WOKEN_POLL_MS = 5;

/**
 * Publishes up to `batchSize` unpublished rows in seq order, marking each that the log took, and
 * resolves with how many. One relay per schema at a time: a second finds the advisory lock taken
 * and skips its turn. (Row locks with SKIP LOCKED would let it publish rows 101-200 while the first
 * is still on 1-100, out of order.) A crash between append and commit publishes rows again: the
 * log is at least once, consumers deduplicate by event id.
 */
export async function relayOutboxBatch(db: Database, log: EventLog, batchSize: number): Promise<number> {
  const outcome = await db.transaction(async (tx) => {
    const [turn] = await tx.query<{ mine: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS mine', [`outbox-relay:${db.schema}`]);
    if (!turn?.mine) return { published: 0 };
    // outbox.seq, the bigint: the text alias would sort '10' before '9'.
    const rows = await tx.query<{ seq: string; event: DomainEvent }>(
      'SELECT seq::text AS seq, event FROM outbox WHERE published_at IS NULL ORDER BY outbox.seq LIMIT $1',
      [batchSize],
    );
    const published: string[] = [];
    let failure: { error: unknown } | undefined;
    for (const row of rows) {
      try {
        await log.append(row.event);
        published.push(row.seq);
      } catch (error) {
        // Stop at the first failure: publishing later rows first would break their order.
        failure = { error };
        await tx.query('UPDATE outbox SET attempts = attempts + 1 WHERE seq = $1', [row.seq]);
        break;
      }
    }
    if (published.length > 0) {
      await tx.query('UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])', [published]);
    }
    return { published: published.length, failure };
  });
  if (outcome.failure) throw outcome.failure.error;
  return outcome.published;
}

/** Moves the outbox to the log until closed; rows wait out a log outage and go in order once it is back. */
export function startOutboxRelay(db: Database, log: EventLog, logger: Logger, options: OutboxRelayOptions = {}): RunningLoop {
  const { pollIntervalMs, batchSize, backoff } = { ...relayDefaults, ...options };
  let waitMs = pollIntervalMs;
  let wake = new AbortController();
  const stopListening = onOutboxWrite(() => wake.abort());
  const loop = runLoop('outbox relay', logger.child({ schema: db.schema }), backoff, async (signal) => {
    const woken = wake.signal.aborted;
    if (woken) {
      wake = new AbortController();
      waitMs = WOKEN_POLL_MS;
    }
    if ((await relayOutboxBatch(db, log, batchSize)) === batchSize) return;
    if (!woken) waitMs = Math.min(waitMs * 2, pollIntervalMs);
    await pause(waitMs, AbortSignal.any([signal, wake.signal]));
  }, log.onReconnect);
  return {
    async close() {
      stopListening();
      await loop.close();
    },
  };
}
