// Issue 12, finding 4: "50 failures in a row" counted deliveries, so a burst of 55 events during an 11 s
// receiver outage disabled the endpoint for good, leaving deliveries pending and later events undelivered.
// Here a partner's receiver answers 503 while a burst of 55 events for its organisation goes out, then
// comes back: the endpoint stays active, every event is delivered exactly once (one 2xx per webhook-id,
// the delivery's id, the same on every attempt)
// within the retry schedule's bound, and an event after the outage goes out at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEvent } from '../../platform/events/envelope.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import { openEventLog } from '../../platform/events/open.ts';
import { graphql } from '../support/graphql.ts';
import { expectNoCrash, report } from './harness/checks.ts';
import { startFaultSystem, type FaultSystem } from './harness/system.ts';

const BURST = 55;
/** As long as the outage that disabled the endpoint before. */
const OUTAGE_MS = 11_000;
const PAYER = 'pay-01';
const ADJUDICATED = 'org.healthgraph.claim.adjudicated.v1';
/** The first retry comes 30 s (less up to a tenth) after a failed attempt; then the attempt itself. */
const DELIVERED_BOUND_MS = 45_000;

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { id status } }`;
const ENDPOINTS = `query { webhookEndpoints { id status consecutiveFailures } }`;

/** A partner's receiver: answers 503 while down, 200 otherwise; every request noted with its webhook-id. */
async function startReceiver() {
  const requests: { webhookId: string; status: number }[] = [];
  const state = { down: false };
  const server: Server = createServer((request, response) => {
    request.resume().on('end', () => {
      const status = state.down ? 503 : 200;
      requests.push({ webhookId: String(request.headers['webhook-id']), status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests,
    state,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a webhook receiver outage during a burst of events', () => {
  let system: FaultSystem;
  let log: EventLog;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    system = await startFaultSystem();
    // The burst goes into the log as billing's outbox would put it: the delivery path is what is tried.
    log = await openEventLog({ redisUrl: system.redis.url, keyPrefix: 'healthgraph:', maxLength: 10_000, commandTimeoutMs: 5_000 });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await log?.close();
    await receiver?.close();
    await system?.close();
  });

  async function call(query: string, variables: Record<string, unknown> = {}) {
    const headers = await system.bearer({ role: 'payer_partner', subject: 'faults-webhooks-partner', organization: PAYER });
    const { data, errors } = await graphql(system.url, query, variables, headers);
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    return data!;
  }

  it('keeps the endpoint, and delivers every event exactly once once the receiver is back', async () => {
    const billing = await system.database('billing');
    const claims = (await billing.query<{ id: string; patient_id: string }>('SELECT id, patient_id FROM claim WHERE payer_id = $1 ORDER BY id', [PAYER]));
    expect(claims.length).toBeGreaterThan(0);
    const { registerWebhookEndpoint: endpoint } = await call(REGISTER, { input: { url: receiver.url, eventTypes: [ADJUDICATED] } });
    expect(endpoint.status).toBe('ACTIVE');

    receiver.state.down = true;
    const downAt = performance.now();
    for (let n = 0; n < BURST; n++) {
      const claim = claims[n % claims.length]!;
      const event = domainEvent(ADJUDICATED, { claimId: claim.id, patientId: claim.patient_id, payerId: PAYER, outcome: 'ACCEPTED' }, n + 1);
      await log.append(event);
    }
    // Every event's first attempt has failed.
    await expect.poll(() => new Set(receiver.requests.filter((r) => r.status === 503).map((r) => r.webhookId)).size, { timeout: 30_000, interval: 100 }).toBe(BURST);
    const outageLeft = OUTAGE_MS - (performance.now() - downAt);
    if (outageLeft > 0) await new Promise((resolve) => setTimeout(resolve, outageLeft));
    receiver.state.down = false;
    const backAt = performance.now();

    const deliveredOnce = () => {
      const delivered = receiver.requests.filter((r) => r.status === 200).map((r) => r.webhookId);
      return { distinct: new Set(delivered).size, total: delivered.length };
    };
    await expect.poll(deliveredOnce, { timeout: DELIVERED_BOUND_MS + 30_000, interval: 250 }).toEqual({ distinct: BURST, total: BURST });
    const deliveredAfter = performance.now() - backAt;
    const webhookIds = new Set(receiver.requests.map((r) => r.webhookId));

    const { webhookEndpoints } = await call(ENDPOINTS);
    expect(webhookEndpoints).toEqual([expect.objectContaining({ id: endpoint.id, status: 'ACTIVE', consecutiveFailures: 0 })]);

    // An event after the outage goes out at once: nothing is left disabled or backed off.
    const after = domainEvent(ADJUDICATED, { claimId: claims[0]!.id, patientId: claims[0]!.patient_id, payerId: PAYER, outcome: 'PAID' }, BURST + 1);
    const sentAt = performance.now();
    await log.append(after);
    await expect.poll(() => receiver.requests.filter((r) => r.status === 200).length, { timeout: 10_000, interval: 50 }).toBe(BURST + 1);

    report('webhook receiver outage during a burst', {
      burst: BURST,
      outageMs: Math.round(backAt - downAt),
      failedAttempts: receiver.requests.filter((r) => r.status === 503).length,
      allDeliveredOnceAfterMs: Math.round(deliveredAfter),
      nextEventDeliveredInMs: Math.round(performance.now() - sentAt),
      endpoint: 'ACTIVE',
    });
    expect(webhookIds.size).toBe(BURST);
    expectNoCrash();
    expect(deliveredAfter).toBeLessThan(DELIVERED_BOUND_MS);
  });
});
