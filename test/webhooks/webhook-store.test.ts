import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord, DueDelivery } from '../../platform/webhooks/delivery-store.ts';
import { WebhookEndpointStore } from '../../platform/webhooks/endpoint-store.ts';
import { databaseEngines } from '../support/databases.ts';
import { CLAIM_SUBMITTED, openWebhookDatabase, registeredEndpoint, type WebhookDatabase } from './webhook-database.ts';

const LEASE_MS = 60_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
let events = 0;
const nextEvent = () => ({ id: `evt-${++events}`, type: CLAIM_SUBMITTED });

/** The attempt `delivery` just had, failed with a 500 unless said otherwise. */
const attempt = (delivery: DueDelivery, outcome: Partial<AttemptRecord> = {}): AttemptRecord => ({
  delivery,
  at: new Date(),
  durationMs: 12,
  statusCode: 500,
  succeeded: false,
  retryInMs: 0,
  endpointGone: false,
  ...outcome,
});

describe.each(databaseEngines)('the webhook store on $engine', ({ url }) => {
  let database: WebhookDatabase;
  beforeAll(async () => {
    database = await openWebhookDatabase(url);
  });
  afterAll(() => database?.dispose());

  /** A fresh endpoint with one delivery queued, claimed. */
  async function claimedDelivery(organizationId = 'payer-store') {
    const { deliveries } = database.stores;
    const endpoint = await registeredEndpoint(database.stores, organizationId);
    await deliveries.enqueue(endpoint.id, nextEvent(), '{}');
    const claimed = (await deliveries.claimDue(100, LEASE_MS)).filter((due) => due.endpointId === endpoint.id);
    expect(claimed).toHaveLength(1);
    return { endpoint, due: claimed[0]! };
  }

  it("lists an organisation's endpoints and matches them by event type, disabled ones too", async () => {
    const { endpoints } = database.stores;
    const claims = await registeredEndpoint(database.stores, 'payer-list');
    const payments = await registeredEndpoint(database.stores, 'payer-list', undefined, ['org.healthgraph.payment.posted.v1']);
    await registeredEndpoint(database.stores, 'payer-other');
    expect((await endpoints.ofOrganization('payer-list')).map((endpoint) => endpoint.id)).toEqual([claims.id, payments.id]);
    expect((await endpoints.subscribedTo('org.healthgraph.payment.posted.v1')).map((endpoint) => endpoint.id)).toEqual([payments.id]);
    expect(await endpoints.disable(payments.id, 'requested')).toMatchObject({ status: 'disabled', disabledReason: 'requested' });
    expect(await endpoints.disable(payments.id, 'requested')).toBeUndefined();
    expect(await endpoints.subscribedTo('org.healthgraph.payment.posted.v1')).toEqual([expect.objectContaining({ id: payments.id, status: 'disabled' })]);
    expect(await endpoints.secretOf(claims.id)).toBe(claims.secret);
  });

  it('queues an event once per endpoint and leases a claimed delivery to one deliverer', async () => {
    const { deliveries } = database.stores;
    const endpoint = await registeredEndpoint(database.stores, 'payer-once');
    const event = nextEvent();
    await deliveries.enqueue(endpoint.id, event, '{"first":true}');
    await deliveries.enqueue(endpoint.id, event, '{"second":true}');
    const claimed = (await deliveries.claimDue(100, LEASE_MS)).filter((due) => due.endpointId === endpoint.id);
    expect(claimed).toEqual([expect.objectContaining({ eventId: event.id, body: '{"first":true}', secret: endpoint.secret, attempts: 0 })]);
    expect((await deliveries.claimDue(100, LEASE_MS)).filter((due) => due.endpointId === endpoint.id)).toEqual([]);
  });

  it('schedules retries, gives up at the end of the round, and a redelivery starts a new round', async () => {
    const { deliveries } = database.stores;
    const { due } = await claimedDelivery();
    await deliveries.recordAttempt(attempt(due, { retryInMs: 3_600_000 }), DAY_MS);
    expect(await deliveries.byId(due.id)).toMatchObject({ status: 'pending', attempts: 1 });
    const [log] = await deliveries.attemptsOf(due.endpointId, 10);
    expect(log!.nextRetryAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    await deliveries.recordAttempt(attempt({ ...due, attempts: 1 }, { retryInMs: null, errorKind: 'timeout', statusCode: undefined }), DAY_MS);
    expect(await deliveries.byId(due.id)).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });

    expect(await deliveries.requeue(due.id)).toMatchObject({ status: 'pending', attempts: 2 });
    const [again] = (await deliveries.claimDue(100, LEASE_MS)).filter((claimed) => claimed.id === due.id);
    expect(again).toMatchObject({ attempts: 2, attemptsBeforeRequeue: 2 });
    // Pending (here: leased) is already queued: asking again changes nothing.
    expect(await deliveries.requeue(due.id)).toMatchObject({ status: 'pending', attempts: 2 });
  });

  it('disables an endpoint only once every attempt has failed for the window, across deliveries; a success starts it over', async () => {
    const { deliveries, endpoints } = database.stores;
    const { endpoint, due } = await claimedDelivery();
    const start = Date.now() - 3 * HOUR_MS;
    const at = (minutes: number) => ({ at: new Date(start + minutes * 60_000) });
    expect(await deliveries.recordAttempt(attempt(due, at(0)), HOUR_MS)).toBeUndefined();
    expect(await deliveries.recordAttempt(attempt({ ...due, attempts: 1 }, { ...at(20), statusCode: 200, succeeded: true, retryInMs: null }), HOUR_MS)).toBeUndefined();
    expect(await endpoints.byId(endpoint.id)).toMatchObject({ consecutiveFailures: 0, failingSince: null, status: 'active' });
    await deliveries.enqueue(endpoint.id, nextEvent(), '{}');
    const [other] = (await deliveries.claimDue(100, LEASE_MS)).filter((claimed) => claimed.endpointId === endpoint.id);
    expect(await deliveries.recordAttempt(attempt(other!, at(30)), HOUR_MS)).toBeUndefined();
    expect(await deliveries.recordAttempt(attempt({ ...other!, attempts: 1 }, at(89)), HOUR_MS)).toBeUndefined();
    expect(await endpoints.byId(endpoint.id)).toMatchObject({ status: 'active', consecutiveFailures: 2, failingSince: new Date(start + 30 * 60_000) });
    expect(await deliveries.recordAttempt(attempt({ ...other!, attempts: 2 }, at(91)), HOUR_MS)).toBe('failing');
    expect(await endpoints.byId(endpoint.id)).toMatchObject({ status: 'disabled', disabledReason: 'failing', consecutiveFailures: 3 });
    // A disabled endpoint's due deliveries are not taken.
    expect((await deliveries.claimDue(100, LEASE_MS)).filter((claimed) => claimed.endpointId === endpoint.id)).toEqual([]);
  });

  it('does not disable an endpoint for a burst of failures, however many', async () => {
    const { deliveries, endpoints } = database.stores;
    const { endpoint, due } = await claimedDelivery();
    for (let attempts = 0; attempts < 60; attempts++) expect(await deliveries.recordAttempt(attempt({ ...due, attempts }), DAY_MS)).toBeUndefined();
    expect(await endpoints.byId(endpoint.id)).toMatchObject({ status: 'active', consecutiveFailures: 60 });
  });

  it('holds the deliveries of a disabled endpoint, and enabling it makes them due in the order they came', async () => {
    const { deliveries, endpoints } = database.stores;
    const endpoint = await registeredEndpoint(database.stores, 'payer-held');
    await endpoints.disable(endpoint.id, 'failing');
    const held = [nextEvent(), nextEvent(), nextEvent(), nextEvent()];
    for (const event of held) await deliveries.enqueue(endpoint.id, event, '{}');
    const mine = async () => (await deliveries.claimDue(100, LEASE_MS)).filter((claimed) => claimed.endpointId === endpoint.id);
    expect(await mine()).toEqual([]);
    // Held past the retention period: given up when the endpoint comes back.
    await database.db.query(`UPDATE webhook_delivery SET created_at = now() - interval '200 hours' WHERE event_id = $1`, [held[0]!.id]);

    expect(await database.db.transaction((tx) => new WebhookEndpointStore(tx).enable(endpoint.id, 168))).toMatchObject({ status: 'active', disabledReason: null });
    expect(await database.db.transaction((tx) => new WebhookEndpointStore(tx).enable(endpoint.id, 168))).toBeUndefined();
    expect((await mine()).map((due) => due.eventId)).toEqual(held.slice(1).map((event) => event.id));
    const [expired] = await database.db.query('SELECT status FROM webhook_delivery WHERE event_id = $1', [held[0]!.id]);
    expect(expired?.status).toBe('failed');
  });

  it('disables at once an endpoint whose receiver answered 410 Gone', async () => {
    const { due } = await claimedDelivery();
    expect(await database.stores.deliveries.recordAttempt(attempt(due, { statusCode: 410, endpointGone: true, retryInMs: null }), DAY_MS)).toBe('gone');
  });

  it('pages the delivery log newest first', async () => {
    const { deliveries } = database.stores;
    const { due } = await claimedDelivery();
    for (const attempts of [0, 1, 2]) await deliveries.recordAttempt(attempt({ ...due, attempts }), DAY_MS);
    const firstPage = await deliveries.attemptsOf(due.endpointId, 2);
    expect(firstPage.map((entry) => entry.attempt)).toEqual([3, 2]);
    expect(firstPage[0]).toMatchObject({ deliveryId: due.id, eventId: due.eventId, eventType: CLAIM_SUBMITTED, statusCode: 500, succeeded: false, durationMs: 12 });
    expect((await deliveries.attemptsOf(due.endpointId, 2, firstPage[1]!.seq)).map((entry) => entry.attempt)).toEqual([1]);
  });
});
