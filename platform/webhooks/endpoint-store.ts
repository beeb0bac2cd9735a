import type { Queryable } from '../database/database.ts';
import { newId } from '../ids.ts';
import { camelCased } from './camel-cased.ts';
import type { DisabledReason, NewWebhookEndpoint, WebhookEndpoint } from './model.ts';

const toEndpoint = camelCased<WebhookEndpoint>;

const COLUMNS = 'id, organization_id, url, event_types, status, disabled_reason, consecutive_failures, failing_since, registered_by, registered_at, disabled_at';

/** The registry of partners' webhook endpoints. */
export class WebhookEndpointStore {
  constructor(private readonly db: Queryable) {}

  async register(endpoint: NewWebhookEndpoint): Promise<string> {
    const id = newId('whe');
    await this.db.query(
      'INSERT INTO webhook_endpoint (id, organization_id, url, event_types, secret, registered_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, endpoint.organizationId, endpoint.url, endpoint.eventTypes, endpoint.secret, endpoint.registeredBy],
    );
    return id;
  }

  async byId(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM webhook_endpoint WHERE id = $1`, [id]);
    return row && toEndpoint(row);
  }

  /** The signing secret: for the registration's answer only. */
  async secretOf(id: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ secret: string }>('SELECT secret FROM webhook_endpoint WHERE id = $1', [id]);
    return row?.secret;
  }

  /** An organisation's endpoints, or every endpoint without one, oldest first. */
  async ofOrganization(organizationId: string | undefined): Promise<WebhookEndpoint[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoint WHERE $1::text IS NULL OR organization_id = $1 ORDER BY registered_at, id`,
      [organizationId ?? null],
    );
    return rows.map(toEndpoint);
  }

  /**
   * The URLs of an organisation's active endpoints, under a lock on its registrations held to the end of
   * the transaction, so two registrations (or enablings) at once count each other against the quotas.
   */
  async lockedActiveUrls(organizationId: string): Promise<string[]> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhook-endpoints:${organizationId}`]);
    const rows = await this.db.query<{ url: string }>(`SELECT url FROM webhook_endpoint WHERE organization_id = $1 AND status = 'active'`, [organizationId]);
    return rows.map((row) => row.url);
  }

  /** The endpoints that asked for events of this type, disabled ones too: their deliveries are held until they are enabled. */
  async subscribedTo(eventType: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoint WHERE event_types @> ARRAY[$1::text] ORDER BY id`,
      [eventType],
    );
    return rows.map(toEndpoint);
  }

  /** Disables an active endpoint; resolves with it, or undefined when it was not active. */
  async disable(id: string, reason: DisabledReason): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db.query(
      `UPDATE webhook_endpoint SET status = 'disabled', disabled_reason = $2, disabled_at = now()
       WHERE id = $1 AND status = 'active' RETURNING ${COLUMNS}`,
      [id, reason],
    );
    return row && toEndpoint(row);
  }

  /**
   * Enables a disabled endpoint, with a clean record, and makes its held deliveries due now, each
   * with a full round of retries: the dispatcher takes them in the order their events came. Those
   * held longer than `retentionHours` are given up (failed; redeliverWebhook still queues one).
   * Resolves with the endpoint, or undefined when it was not disabled. Run it in a transaction.
   */
  async enable(id: string, retentionHours: number): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db.query(
      `UPDATE webhook_endpoint SET status = 'active', disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0, failing_since = NULL
       WHERE id = $1 AND status = 'disabled' RETURNING ${COLUMNS}`,
      [id],
    );
    if (!row) return undefined;
    await this.db.query(
      `UPDATE webhook_delivery SET
         status = CASE WHEN created_at < now() - make_interval(hours => $2) THEN 'failed' ELSE 'pending' END,
         next_attempt_at = CASE WHEN created_at < now() - make_interval(hours => $2) THEN NULL ELSE now() END,
         attempts_before_requeue = attempts
       WHERE endpoint_id = $1 AND status = 'pending'`,
      [id, retentionHours],
    );
    return toEndpoint(row);
  }

  /**
   * Counts a failed attempt made `at`, or clears the record after a success; resolves with how
   * long every attempt has been failing (0 after a success).
   */
  async recordOutcome(id: string, succeeded: boolean, at: Date): Promise<number> {
    const [row] = await this.db.query<{ failing_ms: number | string | null }>(
      `UPDATE webhook_endpoint SET consecutive_failures = CASE WHEN $2 THEN 0 ELSE consecutive_failures + 1 END,
         failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, $3) END
       WHERE id = $1 RETURNING extract(epoch FROM ($3::timestamptz - failing_since)) * 1000 AS failing_ms`,
      [id, succeeded, at],
    );
    return Number(row?.failing_ms ?? 0);
  }
}
