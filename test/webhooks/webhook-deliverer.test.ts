import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { domainEvent, type DomainEvent } from '../../platform/events/envelope.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { createLogger } from '../../platform/logger.ts';
import { startTracing, tracer } from '../../platform/observability/tracing.ts';
import { WebhookEndpointStore } from '../../platform/webhooks/endpoint-store.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import type { DeliveryPolicy } from '../../gateway/webhooks/delivery-policy.ts';
import { openWebhookDeliverer } from '../../gateway/webhooks/open.ts';
import { ownOrganizationData, type ResolveFor } from '../../gateway/webhooks/organization-view.ts';
import { booked, openTestEventLog, type TestEventLog } from '../events/event-logs.ts';
import { databaseEngines } from '../support/databases.ts';
import { startReceiver, verifies, type Answer, type WebhookReceiver } from './receiver.ts';
import { CLAIM_SUBMITTED, openWebhookDatabase, registeredEndpoint, type WebhookDatabase } from './webhook-database.ts';

const fast: Partial<DeliveryPolicy> = {
  timeoutMs: 3_000,
  maxAttempts: 5,
  retry: { initialMs: 40, maxMs: 200 },
  disableAfterMs: 60_000,
  pollIntervalMs: 20,
};
const embedded: TargetPolicy = { loopbackAllowed: true };

const spans = new InMemorySpanExporter();
startTracing({ keepRecentSpans: 0, processors: [new SimpleSpanProcessor(spans)] });

let claims = 0;
const claimSubmitted = (payerId: string): DomainEvent =>
  domainEvent(CLAIM_SUBMITTED, { claimId: `clm-${++claims}`, patientId: `pat-${claims}`, payerId }, 1);

describe.each(databaseEngines)('the webhook deliverer on $engine', ({ url }) => {
  let database: WebhookDatabase;
  let events: TestEventLog;
  let deliverer: RunningLoop | undefined;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    database = await openWebhookDatabase(url);
  });
  afterAll(() => database?.dispose());
  afterEach(async () => {
    await deliverer?.close();
    deliverer = undefined;
    await events?.dispose();
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  async function start(options: { delivery?: Partial<DeliveryPolicy>; targets?: TargetPolicy; eventLog?: EventLog; resolveFor?: ResolveFor } = {}) {
    const eventLog = options.eventLog ?? (events = await openTestEventLog(undefined)).log;
    deliverer = await openWebhookDeliverer({
      database: database.db,
      eventLog,
      resolveFor: options.resolveFor ?? ownOrganizationData,
      logger: createLogger('webhooks-test'),
      targets: options.targets ?? embedded,
      consumer: `replica-${Math.random()}`,
      delivery: { ...fast, ...options.delivery },
      consume: { backoff: { initialMs: 20, maxMs: 50 } },
    });
    return eventLog;
  }

  /** A receiver answering `answers`, registered for `organizationId`. */
  async function partner(organizationId: string, answers: Answer[], eventTypes = [CLAIM_SUBMITTED]) {
    const receiver = await startReceiver(answers);
    receivers.push(receiver);
    return { receiver, ...(await registeredEndpoint(database.stores, organizationId, receiver.url, eventTypes)) };
  }

  const log = (endpointId: string) => database.stores.deliveries.attemptsOf(endpointId, 100);

  it('retries a failing receiver with backoff until it takes the event, signed, and logs every attempt', async () => {
    const { receiver, id, secret } = await partner('payer-flaky', [500, 500, 200]);
    const eventLog = await start();
    const event = claimSubmitted('payer-flaky');
    await eventLog.append(event);

    await vi.waitFor(async () => expect(await log(id)).toHaveLength(3), { timeout: 5_000 });
    expect(receiver.received).toHaveLength(3);
    const delivered = receiver.received[2]!;
    expect(verifies(secret, delivered)).toBe(true);
    expect(JSON.parse(delivered.body)).toEqual({ id: event.id, type: CLAIM_SUBMITTED, timestamp: event.time, data: event.data });
    // One webhook-id across the retries: the receiver's idempotency key.
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    expect(delivered.headers['content-type']).toBe('application/json');

    const attempts = await log(id);
    expect(attempts.map(({ attempt, statusCode, succeeded }) => ({ attempt, statusCode, succeeded }))).toEqual([
      { attempt: 3, statusCode: 200, succeeded: true },
      { attempt: 2, statusCode: 500, succeeded: false },
      { attempt: 1, statusCode: 500, succeeded: false },
    ]);
    expect(attempts[0]!.nextRetryAt).toBeNull();
    expect(attempts[2]!.nextRetryAt).toBeInstanceOf(Date);
    expect(attempts.every((attempt) => attempt.eventId === event.id && attempt.durationMs >= 0)).toBe(true);
    expect(await database.stores.deliveries.byId(attempts[0]!.deliveryId)).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it("sends each attempt in a span of the event's trace, carrying ids only", async () => {
    const { receiver, id } = await partner('payer-traced', [500, 200]);
    const eventLog = await start();
    // The event is announced inside a request's span, as a mutation's would be.
    const announcing = tracer.startSpan('announce');
    const event = context.with(trace.setSpan(context.active(), announcing), () => claimSubmitted('payer-traced'));
    announcing.end();
    await eventLog.append(event);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 5_000 });

    const traceId = announcing.spanContext().traceId;
    await vi.waitFor(() => {
      const deliveries = spans.getFinishedSpans().filter((span) => span.name === 'webhook deliver' && span.attributes['healthgraph.webhook.endpoint_id'] === id);
      expect(deliveries.map((span) => [span.spanContext().traceId, span.attributes['healthgraph.attempt']])).toEqual([
        [traceId, 1],
        [traceId, 2],
      ]);
      expect(JSON.stringify(deliveries.map((span) => span.attributes))).not.toContain(String(event.data.patientId));
    }, { timeout: 5_000 });
  });

  it('signs so that an altered body, id or timestamp fails to verify', async () => {
    const { receiver, secret } = await partner('payer-tamper', [200]);
    const eventLog = await start();
    await eventLog.append(claimSubmitted('payer-tamper'));
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000 });
    const genuine = receiver.received[0]!;
    expect(verifies(secret, genuine)).toBe(true);
    expect(verifies(secret, { ...genuine, body: genuine.body.replace('payer-tamper', 'payer-tamper2') })).toBe(false);
    expect(verifies(secret, { ...genuine, headers: { ...genuine.headers, 'webhook-timestamp': '1' } })).toBe(false);
    expect(verifies(secret, { ...genuine, headers: { ...genuine.headers, 'webhook-id': 'whd-forged' } })).toBe(false);
  });

  it('disables an endpoint once every attempt has failed for the window, and stops sending to it', async () => {
    const { receiver, id } = await partner('payer-down', [500]);
    const eventLog = await start({ delivery: { disableAfterMs: 300 } });
    await eventLog.append(claimSubmitted('payer-down'));
    await vi.waitFor(async () => expect(await database.stores.endpoints.byId(id)).toMatchObject({ status: 'disabled', disabledReason: 'failing' }), {
      timeout: 5_000,
    });
    // Disabled by the attempt that found the failures spanning the window, newest first in the log.
    const attempts = await log(id);
    expect(attempts[0]!.at.getTime() - attempts.at(-1)!.at.getTime()).toBeGreaterThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(attempts.length);
  });

  it('keeps an endpoint through a burst of failures in a short outage, and delivers every event', async () => {
    // The receiver is away for its first 40 requests: many more failures than the old limit of 50 in a row would allow for 30 events.
    const { receiver, id } = await partner('payer-burst', [...Array<number>(40).fill(503), 200]);
    const eventLog = await start({ delivery: { maxAttempts: 12, concurrency: 10 } });
    const sent = Array.from({ length: 30 }, () => claimSubmitted('payer-burst'));
    for (const event of sent) await eventLog.append(event);
    const deliveredIds = async () => {
      const delivered = await database.db.query<{ event_id: string }>(`SELECT event_id FROM webhook_delivery WHERE endpoint_id = $1 AND status = 'delivered'`, [id]);
      return delivered.map((row) => row.event_id).sort();
    };
    await vi.waitFor(async () => expect(await deliveredIds()).toEqual(sent.map((event) => event.id).sort()), { timeout: 20_000, interval: 100 });
    expect(await database.stores.endpoints.byId(id)).toMatchObject({ status: 'active', consecutiveFailures: 0, failingSince: null });
    expect(receiver.received.length).toBeGreaterThanOrEqual(70);
  });

  it("holds a disabled endpoint's events, delivers them in order once it is enabled, and redelivers on request after", async () => {
    const { receiver, id } = await partner('payer-paused', [200]);
    await database.stores.endpoints.disable(id, 'failing');
    const eventLog = await start({ delivery: { concurrency: 1 } });
    const sent = [claimSubmitted('payer-paused'), claimSubmitted('payer-paused'), claimSubmitted('payer-paused')];
    for (const event of sent) await eventLog.append(event);
    await vi.waitFor(async () => {
      const [held] = await database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_delivery WHERE endpoint_id = $1 AND status = 'pending'`, [id]);
      expect(held?.n).toBe(3);
    }, { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toEqual([]);

    await database.db.transaction((tx) => new WebhookEndpointStore(tx).enable(id, 168));
    const eventIdsReceived = () => receiver.received.map((request) => JSON.parse(request.body).id as string);
    await vi.waitFor(() => expect(eventIdsReceived()).toEqual(sent.map((event) => event.id)), { timeout: 5_000 });
    // The receiver has the last request before its attempt is on record.
    await vi.waitFor(async () => expect(await log(id)).toHaveLength(3), { timeout: 5_000 });

    const [newest] = await log(id);
    await database.stores.deliveries.requeue(newest!.deliveryId);
    await vi.waitFor(() => expect(eventIdsReceived()).toEqual([...sent.map((event) => event.id), sent[2]!.id]), { timeout: 5_000 });
  });

  it('disables at once an endpoint whose receiver answers 410 Gone', async () => {
    const { id } = await partner('payer-gone', [410]);
    const eventLog = await start();
    await eventLog.append(claimSubmitted('payer-gone'));
    await vi.waitFor(async () => expect(await database.stores.endpoints.byId(id)).toMatchObject({ disabledReason: 'gone' }), { timeout: 5_000 });
    expect(await log(id)).toHaveLength(1);
  });

  it('redelivers a delivered event on request, with the same webhook-id', async () => {
    const { receiver, id, secret } = await partner('payer-again', [200]);
    const eventLog = await start();
    await eventLog.append(claimSubmitted('payer-again'));
    await vi.waitFor(async () => expect(await log(id)).toHaveLength(1), { timeout: 5_000 });
    const [first] = await log(id);
    await database.stores.deliveries.requeue(first!.deliveryId);
    await vi.waitFor(async () => expect(await log(id)).toHaveLength(2), { timeout: 5_000 });
    expect((await log(id))[0]).toMatchObject({ attempt: 2, statusCode: 200, deliveryId: first!.deliveryId });
    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([first!.deliveryId, first!.deliveryId]);
    expect(verifies(secret, receiver.received[1]!)).toBe(true);
  });

  it('sends each organisation only its own events, and events of no organisation to none', async () => {
    const a = await partner('payer-a', [200], [CLAIM_SUBMITTED, booked(0).type]);
    const b = await partner('payer-b', [200]);
    const eventLog = await start();
    await eventLog.append(booked(1));
    await eventLog.append(claimSubmitted('payer-a'));
    await eventLog.append(claimSubmitted('payer-b'));
    await eventLog.append(claimSubmitted('payer-c'));
    await eventLog.append(claimSubmitted('payer-a'));
    await vi.waitFor(() => expect(a.receiver.received).toHaveLength(2), { timeout: 5_000 });
    await vi.waitFor(() => expect(b.receiver.received).toHaveLength(1), { timeout: 5_000 });
    const payersOf = (receiver: WebhookReceiver) => receiver.received.map((request) => JSON.parse(request.body).data.payerId);
    expect(payersOf(a.receiver)).toEqual(['payer-a', 'payer-a']);
    expect(payersOf(b.receiver)).toEqual(['payer-b']);
  });

  it("retries an event whose organisation's view could not be resolved yet", async () => {
    const { receiver } = await partner('payer-later', [200]);
    let resolutions = 0;
    const gatewayBusy: ResolveFor = async (caller, event) => {
      if (caller.organizationId === 'payer-later' && ++resolutions === 1) throw Object.assign(new Error('subgraph unavailable'), { code: 'UPSTREAM_UNAVAILABLE' });
      return ownOrganizationData(caller, event);
    };
    const eventLog = await start({ resolveFor: gatewayBusy });
    await eventLog.append(claimSubmitted('payer-later'));
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000 });
    expect(resolutions).toBe(2);
  });

  it('keeps a pending retry across a restart: the schedule is in the store', async () => {
    const { receiver, id } = await partner('payer-restart', [500, 200]);
    const eventLog = await start({ delivery: { retry: { initialMs: 500, maxMs: 500 } } });
    await eventLog.append(claimSubmitted('payer-restart'));
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000 });
    await deliverer!.close();
    await start({ eventLog });
    await vi.waitFor(async () => expect((await log(id)).map((attempt) => attempt.statusCode)).toEqual([200, 500]), { timeout: 5_000 });
  });

  it('gives up on a receiver that does not answer in time, logging a timeout', async () => {
    const { id } = await partner('payer-slow', ['hang']);
    const eventLog = await start({ delivery: { maxAttempts: 1, timeoutMs: 300 } });
    await eventLog.append(claimSubmitted('payer-slow'));
    await vi.waitFor(async () => expect(await log(id)).toEqual([expect.objectContaining({ errorKind: 'timeout', statusCode: null, nextRetryAt: null })]), {
      timeout: 5_000,
    });
    expect((await log(id))[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('refuses at connect time a target the policy forbids, even one registered when it was allowed', async () => {
    const { receiver, id } = await partner('payer-loopback', [200]);
    const eventLog = await start({ targets: { loopbackAllowed: false }, delivery: { maxAttempts: 1 } });
    await eventLog.append(claimSubmitted('payer-loopback'));
    await vi.waitFor(async () => expect(await log(id)).toEqual([expect.objectContaining({ errorKind: 'target_refused' })]), { timeout: 5_000 });
    expect(receiver.received).toEqual([]);
  });
});
