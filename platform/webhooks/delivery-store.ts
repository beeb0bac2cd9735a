import type { Database } from '../database/database.ts';
import { newId } from '../ids.ts';
import { camelCased } from './camel-cased.ts';
import { WebhookEndpointStore } from './endpoint-store.ts';
import type { AttemptResult, DeliveryAttempt, DisabledReason, WebhookDelivery } from './model.ts';

const queuedListeners = new Set<() => void>();

/** Deliverers in this process hear of a queued delivery at once, so its latency is not their poll interval. */
export function onDeliveryQueued(listener: () => void): () => void {
  queuedListeners.add(listener);
  return () => queuedListeners.delete(listener);
}

const announceQueued = () => queuedListeners.forEach((listener) => listener());

/** A delivery a deliverer has taken, with what it needs to send it. */
export interface DueDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  url: string;
  secret: string;
  body: string;
  attempts: number;
  attemptsBeforeRequeue: number;
  /** The W3C trace context the delivery was queued in (the event's trace), if it was traced. */
  traceparent: string | null;
}

/** An attempt made, and what follows from it. */
export interface AttemptRecord extends AttemptResult {
  delivery: DueDelivery;
  at: Date;
  succeeded: boolean;
  /** When to try again; null when no attempt follows (delivered, given up, or the endpoint is gone). */
  retryInMs: number | null;
  /** The receiver asked never to be called again (410 Gone). */
  endpointGone: boolean;
}

const toDelivery = camelCased<WebhookDelivery>;

const DELIVERY_COLUMNS = 'id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at';

/** The delivery log's entries with their event; seq as text, since pg and PGlite give a bigint differently. */
const ATTEMPTS = `SELECT a.seq::text AS seq, a.delivery_id, a.endpoint_id, a.attempt, a.at, a.duration_ms, a.succeeded, a.status_code, a.error_kind,
    a.next_retry_at, d.event_id, d.event_type
  FROM webhook_attempt AS a JOIN webhook_delivery AS d ON d.id = a.delivery_id`;

/** Milliseconds from now, as SQL: NULL stays NULL. */
const FROM_NOW = (param: string) => `now() + make_interval(secs => ${param}::float8 / 1000)`;

/** The deliveries' schedule and the delivery log. Times come from the database's clock, which every replica shares. */
export class WebhookDeliveryStore {
  constructor(private readonly db: Database) {}

  /** Queues the event for the endpoint, due now, its attempts in the event's trace; a second time for the same pair changes nothing. */
  async enqueue(endpointId: string, event: { id: string; type: string; traceparent?: string }, body: string): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_delivery (id, endpoint_id, event_id, event_type, body, next_attempt_at, traceparent) VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [newId('whd'), endpointId, event.id, event.type, body, event.traceparent ?? null],
    );
    announceQueued();
  }

  /**
   * Takes up to `limit` due deliveries of active endpoints, oldest first, leasing each for
   * `leaseMs`: no other deliverer takes it meanwhile, and one whose deliverer died is due again
   * when the lease ends.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
    // Handed out oldest event first (UPDATE ... RETURNING keeps no order): an enabled endpoint gets what it missed in order.
    const rows = await this.db.query(
      `WITH claimed AS (
         UPDATE webhook_delivery AS d SET next_attempt_at = ${FROM_NOW('$2')}
         FROM webhook_endpoint AS e
         WHERE e.id = d.endpoint_id AND d.id IN (
           SELECT due.id FROM webhook_delivery AS due JOIN webhook_endpoint AS active ON active.id = due.endpoint_id AND active.status = 'active'
           WHERE due.status = 'pending' AND due.next_attempt_at <= now()
           ORDER BY due.next_attempt_at, due.queued_seq LIMIT $1 FOR UPDATE OF due SKIP LOCKED)
         RETURNING d.id, d.endpoint_id, d.event_id, d.body, d.attempts, d.attempts_before_requeue, d.queued_seq, d.traceparent, e.url, e.secret)
       SELECT id, endpoint_id, event_id, body, attempts, attempts_before_requeue, traceparent, url, secret FROM claimed ORDER BY queued_seq`,
      [limit, leaseMs],
    );
    return rows.map(camelCased<DueDelivery>);
  }

  /**
   * Writes the attempt to the log, schedules what follows and counts it against the endpoint, in
   * one transaction; resolves with why the endpoint was disabled when this attempt disabled it:
   * 410 Gone, or failing without a success for `disableAfterMs`.
   */
  async recordAttempt(record: AttemptRecord, disableAfterMs: number): Promise<DisabledReason | undefined> {
    const { delivery, succeeded, retryInMs } = record;
    return this.db.transaction(async (tx) => {
      const status = succeeded ? 'delivered' : retryInMs === null ? 'failed' : 'pending';
      const [scheduled] = await tx.query<{ next_attempt_at: Date | null }>(
        `UPDATE webhook_delivery SET attempts = attempts + 1, status = $2, next_attempt_at = ${FROM_NOW('$3')} WHERE id = $1 RETURNING next_attempt_at`,
        [delivery.id, status, retryInMs],
      );
      await tx.query(
        `INSERT INTO webhook_attempt (delivery_id, endpoint_id, attempt, at, duration_ms, succeeded, status_code, error_kind, next_retry_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [delivery.id, delivery.endpointId, delivery.attempts + 1, record.at, record.durationMs, succeeded, record.statusCode ?? null, record.errorKind ?? null, scheduled?.next_attempt_at ?? null],
      );
      const endpoints = new WebhookEndpointStore(tx);
      const failingForMs = await endpoints.recordOutcome(delivery.endpointId, succeeded, record.at);
      const reason = record.endpointGone ? 'gone' : !succeeded && failingForMs >= disableAfterMs ? 'failing' : undefined;
      return reason && (await endpoints.disable(delivery.endpointId, reason)) ? reason : undefined;
    });
  }

  async byId(id: string): Promise<WebhookDelivery | undefined> {
    const [row] = await this.db.query(`SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery WHERE id = $1`, [id]);
    return row && toDelivery(row);
  }

  /**
   * Queues a delivered or failed delivery again, due now, with a full round of retries. One still
   * pending is already queued (perhaps in flight) and is left as it is.
   */
  async requeue(id: string): Promise<WebhookDelivery | undefined> {
    const [row] = await this.db.query(
      `UPDATE webhook_delivery SET status = 'pending', next_attempt_at = now(), attempts_before_requeue = attempts
       WHERE id = $1 AND status <> 'pending' RETURNING ${DELIVERY_COLUMNS}`,
      [id],
    );
    if (!row) return this.byId(id);
    announceQueued();
    return toDelivery(row);
  }

  /** The endpoint's delivery log, newest first, from before `beforeSeq` when given. */
  async attemptsOf(endpointId: string, limit: number, beforeSeq?: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.query(`${ATTEMPTS} WHERE a.endpoint_id = $1 AND ($2::bigint IS NULL OR a.seq < $2::bigint) ORDER BY a.seq DESC LIMIT $3`, [
      endpointId,
      beforeSeq ?? null,
      limit,
    ]);
    return rows.map(camelCased<DeliveryAttempt>);
  }

  /** A delivery's latest attempt; undefined before its first. */
  async lastAttemptOf(deliveryId: string): Promise<DeliveryAttempt | undefined> {
    const [row] = await this.db.query(`${ATTEMPTS} WHERE a.delivery_id = $1 ORDER BY a.seq DESC LIMIT 1`, [deliveryId]);
    return row && camelCased<DeliveryAttempt>(row);
  }

  /**
   * Deliveries, across every endpoint, whose latest attempt failed: waiting for a retry, or given
   * up (FAILED). The longest failing first.
   */
  async failing(limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery AS d
       WHERE status <> 'delivered'
         AND (SELECT succeeded FROM webhook_attempt AS a WHERE a.delivery_id = d.id ORDER BY a.seq DESC LIMIT 1) = false
       ORDER BY queued_seq LIMIT $1`,
      [limit],
    );
    return rows.map(toDelivery);
  }
}
