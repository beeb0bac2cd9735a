import { setting } from '../config.ts';
import type { Database, Queryable } from '../database/database.ts';
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
  /** A published row is deleted after this long even when a consumer group has not acknowledged it (EVENT_RETENTION_HOURS). */
  retentionHours?: number;
  /** How often published rows every group has acknowledged are deleted. */
  pruneIntervalMs?: number;
}

const relayDefaults = { pollIntervalMs: 1_000, batchSize: 100, backoff: { initialMs: 100, maxMs: 30_000 }, pruneIntervalMs: 600_000 };

/** EVENT_RETENTION_HOURS: how long the outbox keeps a published event no matter what (a week by default). */
export const eventRetentionHoursFromEnv = () => setting('EVENT_RETENTION_HOURS');
/** After a write, polls start this soon and slow down again: on PostgreSQL the commit follows the write. */
const WOKEN_POLL_MS = 5;

const takeRelayTurn = async (tx: Queryable, schema: string) =>
  (await tx.query<{ mine: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS mine', [`outbox-relay:${schema}`]))[0]?.mine === true;

/**
 * Rows the log took from this outbox but no longer has: those published after the last one it
 * records (all of them when it records none, a Redis that came back empty) are marked unpublished
 * again, to go out once more in seq order. Consumers deduplicate through their inbox.
 */
async function takeBackLostRows(tx: Queryable, log: EventLog, origin: string): Promise<number> {
  const through = (await log.publishedThrough(origin)) ?? '0';
  const lost = await tx.query(
    'UPDATE outbox SET published_at = NULL, log_id = NULL, publication = NULL WHERE publication > $1::bigint RETURNING seq',
    [through],
  );
  return lost.length;
}

/** Numbers for `count` rows about to be published, in the order they go: the first of them. */
async function reservePublications(tx: Queryable, count: number): Promise<bigint> {
  const [reserved] = await tx.query<{ last: string }>("SELECT setval('outbox_publication', nextval('outbox_publication') + $1 - 1)::text AS last", [count]);
  return BigInt(reserved!.last) - BigInt(count) + 1n;
}

/**
 * Publishes up to `batchSize` unpublished rows in seq order, marking each that the log took, and
 * resolves with how many. Rows the log lost are taken back first (see takeBackLostRows). One relay per schema at a time: a second finds the advisory lock taken
 * and skips its turn. (Row locks with SKIP LOCKED would let it publish rows 101-200 while the first
 * is still on 1-100, out of order.) A crash between append and commit publishes rows again: the
 * log is at least once, consumers deduplicate by event id.
 */
export async function relayOutboxBatch(db: Database, log: EventLog, batchSize: number, logger?: Logger): Promise<number> {
  const outcome = await db.transaction(async (tx) => {
    if (!(await takeRelayTurn(tx, db.schema))) return { published: 0 };
    const lost = await takeBackLostRows(tx, log, db.schema).catch(async (error: unknown) => {
      // The log is unreachable: a failed try at the next row, as a failed append is.
      await tx.query('UPDATE outbox SET attempts = attempts + 1 WHERE seq = (SELECT min(seq) FROM outbox WHERE published_at IS NULL)');
      return { error };
    });
    if (typeof lost !== 'number') return { published: 0, failure: lost };
    if (lost > 0) logger?.warn({ schema: db.schema, lost }, 'the event log lost published events; publishing them again');
    // outbox.seq, the bigint: the text alias would sort '10' before '9'.
    const rows = await tx.query<{ seq: string; event: DomainEvent }>(
      'SELECT seq::text AS seq, event FROM outbox WHERE published_at IS NULL ORDER BY outbox.seq LIMIT $1',
      [batchSize],
    );
    const published: string[] = [];
    const publications: string[] = [];
    const logIds: string[] = [];
    let failure: { error: unknown } | undefined;
    const firstPublication = rows.length > 0 ? await reservePublications(tx, rows.length) : 0n;
    for (const [n, row] of rows.entries()) {
      const publication = String(firstPublication + BigInt(n));
      try {
        logIds.push(await log.append(row.event, { origin: db.schema, publication }));
        published.push(row.seq);
        publications.push(publication);
      } catch (error) {
        // Stop at the first failure: publishing later rows first would break their order.
        failure = { error };
        await tx.query('UPDATE outbox SET attempts = attempts + 1 WHERE seq = $1', [row.seq]);
        break;
      }
    }
    if (published.length > 0) {
      await tx.query(
        `UPDATE outbox SET published_at = now(), attempts = attempts + 1, log_id = taken.log_id, publication = taken.publication
         FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS taken (seq, log_id, publication) WHERE outbox.seq = taken.seq`,
        [published, logIds, publications],
      );
    }
    return { published: published.length, failure };
  });
  if (outcome.failure) throw outcome.failure.error;
  return outcome.published;
}

/**
 * Deletes the published rows every consumer group has acknowledged, and those older than the
 * retention period; resolves with how many. Nothing while the log lost rows not yet taken back:
 * a log that came back empty knows nothing of what was handled before.
 */
export async function pruneOutbox(db: Database, log: EventLog, retentionHours: number): Promise<number> {
  return db.transaction(async (tx) => {
    if (!(await takeRelayTurn(tx, db.schema))) return 0;
    const [newest] = await tx.query<{ publication: string | null }>('SELECT max(publication)::text AS publication FROM outbox');
    const through = await log.publishedThrough(db.schema);
    if (newest?.publication && (through === undefined || BigInt(through) < BigInt(newest.publication))) return 0;
    const [ms, n] = (await log.handledBelow()).split('-');
    const pruned = await tx.query(
      `DELETE FROM outbox WHERE published_at IS NOT NULL AND (published_at < now() - make_interval(hours => $1)
         OR (split_part(log_id, '-', 1)::bigint, split_part(log_id, '-', 2)::bigint) < ($2::bigint, $3::bigint))
       RETURNING seq`,
      [retentionHours, ms, n],
    );
    return pruned.length;
  });
}

/**
 * Moves the outbox to the log until closed; rows wait out a log outage and go in order once it is
 * back, and go again when the log lost them. Every `pruneIntervalMs`, prunes what is no longer needed.
 */
export function startOutboxRelay(db: Database, log: EventLog, logger: Logger, options: OutboxRelayOptions = {}): RunningLoop {
  const { pollIntervalMs, batchSize, backoff, pruneIntervalMs, retentionHours = eventRetentionHoursFromEnv() } = { ...relayDefaults, ...options };
  const relayLogger = logger.child({ schema: db.schema });
  let pruneDue = Date.now() + pruneIntervalMs;
  let waitMs = pollIntervalMs;
  let wake = new AbortController();
  const stopListening = onOutboxWrite(() => wake.abort());
  const loop = runLoop('outbox relay', relayLogger, backoff, async (signal) => {
    const woken = wake.signal.aborted;
    if (woken) {
      wake = new AbortController();
      waitMs = WOKEN_POLL_MS;
    }
    if ((await relayOutboxBatch(db, log, batchSize, relayLogger)) === batchSize) return;
    if (Date.now() >= pruneDue) {
      pruneDue = Date.now() + pruneIntervalMs;
      const pruned = await pruneOutbox(db, log, retentionHours);
      if (pruned > 0) relayLogger.debug({ pruned }, 'outbox pruned');
    }
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
