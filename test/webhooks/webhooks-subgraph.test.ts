import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../platform/caller.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { webhookStores } from '../../platform/webhooks/stores.ts';
import { webhooksSubgraph } from '../../subgraphs/webhooks/subgraph.ts';
import { databaseEngines, dropSchemas, uniqueName } from '../support/databases.ts';
import { adminCaller, gatewayStandIn, type GatewayStandIn } from '../support/gateway-stand-in.ts';
import { codesOf, graphql } from '../support/graphql.ts';
import { CLAIM_SUBMITTED } from './webhook-database.ts';

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!, $key: String) {
  registerWebhookEndpoint(input: $input, idempotencyKey: $key) { id organizationId url eventTypes status consecutiveFailures secret }
}`;
const ENDPOINTS = `query($organizationId: ID) { webhookEndpoints(organizationId: $organizationId) { id organizationId secret } }`;
const DISABLE = `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id status disabledReason disabledAt } }`;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {
    attempts { deliveryId eventId eventType attempt succeeded statusCode errorKind durationMs at nextRetryAt }
    hasNextPage endCursor
  }
}`;
const ENABLE = `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { id status disabledReason disabledAt consecutiveFailures failingSince } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id endpointId status attempts nextAttemptAt } }`;

const partnerOf = (organizationId: string, scopes = ['system/Subscription.crus']): Caller => ({
  subject: `partner-${organizationId}`,
  clientId: 'partner',
  roles: ['payer_partner'],
  scopes,
  organizationId,
  purposeOfUse: 'HPAYMT',
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
});

const input = (overrides: Record<string, unknown> = {}) => ({ url: 'https://payer.example/hooks', eventTypes: [CLAIM_SUBMITTED], ...overrides });

describe.each(databaseEngines)('the webhooks subgraph on $engine', ({ url }) => {
  const schema = uniqueName('webhooks');
  let subgraph: RunningSubgraph;
  let gateway: GatewayStandIn;
  const call = async (caller: Caller, query: string, variables: Record<string, unknown> = {}) =>
    graphql(subgraph.url, query, variables, await gateway.headersFor(caller));

  beforeAll(async () => {
    gateway = await gatewayStandIn();
    subgraph = await startSubgraph(webhooksSubgraph({ loopbackAllowed: true }), { port: 0, database: { url, schema }, gatewayPublicKey: gateway.publicKey });
  });
  afterAll(async () => {
    await subgraph?.close();
    await dropSchemas(url, schema);
  });

  async function registered(caller: Caller, overrides: Record<string, unknown> = {}) {
    const response = await call(caller, REGISTER, { input: input(overrides) });
    expect(response.errors).toBeUndefined();
    return response.data!.registerWebhookEndpoint as { id: string; secret: string };
  }

  /** A delivery of one event to the endpoint, attempted once and given up. */
  async function failedDelivery(endpointId: string, eventId: string) {
    const { deliveries } = webhookStores(subgraph.database);
    await deliveries.enqueue(endpointId, { id: eventId, type: CLAIM_SUBMITTED }, '{}');
    const [due] = (await deliveries.claimDue(100, 60_000)).filter((claimed) => claimed.endpointId === endpointId);
    await deliveries.recordAttempt({ delivery: due!, at: new Date(), durationMs: 5, statusCode: 503, succeeded: false, retryInMs: null, endpointGone: false }, 86_400_000);
    return due!.id;
  }

  it("registers an endpoint for the partner's own organisation and answers its secret this once", async () => {
    const partner = partnerOf('payer-own');
    const endpoint = await registered(partner, { url: 'https://payer.example/hooks#ignored' });
    expect(endpoint).toMatchObject({ organizationId: 'payer-own', url: 'https://payer.example/hooks', eventTypes: [CLAIM_SUBMITTED], status: 'ACTIVE', consecutiveFailures: 0 });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await call(partner, ENDPOINTS);
    expect(listed.data!.webhookEndpoints).toEqual([{ id: endpoint.id, organizationId: 'payer-own', secret: null }]);
  });

  it('keeps a secret the partner chose, and refuses one that is not a whsec_ secret of 24 to 64 bytes', async () => {
    const secret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    expect((await registered(partnerOf('payer-secret'), { secret })).secret).toBe(secret);
    const short = await call(partnerOf('payer-secret'), REGISTER, { input: input({ secret: `whsec_${Buffer.alloc(16).toString('base64')}` }) });
    expect(codesOf(short)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a partner registering for another organisation, and lets an administrator name any', async () => {
    const refused = await call(partnerOf('payer-one'), REGISTER, { input: input({ organizationId: 'payer-two' }) });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    expect(await call(partnerOf('payer-two'), ENDPOINTS)).toMatchObject({ data: { webhookEndpoints: [] } });
    expect(await registered(adminCaller, { organizationId: 'payer-two' })).toMatchObject({ organizationId: 'payer-two' });
    expect(codesOf(await call(adminCaller, REGISTER, { input: input() }))).toEqual(['BAD_USER_INPUT']);
  });

  it("answers a retried registration with the same endpoint and secret; another caller's same key is another key", async () => {
    const partner = partnerOf('payer-retry');
    const variables = { input: input(), key: uniqueName('register') };
    const first = await call(partner, REGISTER, variables);
    const retried = await call(partner, REGISTER, variables);
    expect(retried.data).toEqual(first.data);
    expect((await call(partner, ENDPOINTS)).data!.webhookEndpoints).toHaveLength(1);
    expect(codesOf(await call(partner, REGISTER, { ...variables, input: input({ url: 'https://payer.example/other' }) }))).toEqual(['CONFLICT']);
    const other = await call(partnerOf('payer-thief'), REGISTER, variables);
    expect(other.data!.registerWebhookEndpoint).toMatchObject({ organizationId: 'payer-thief' });
    expect(other.data!.registerWebhookEndpoint.secret).not.toBe(first.data!.registerWebhookEndpoint.secret);
  });

  it.each([
    ['plain http to a public host', { url: 'http://payer.example/hooks' }],
    ['a private address', { url: 'https://10.1.2.3/hooks' }],
    ['the cloud metadata address', { url: 'https://169.254.169.254/latest' }],
    ['an internal name', { url: 'https://metadata.google.internal/' }],
    ['credentials in the URL', { url: 'https://user:pass@payer.example/hooks' }],
    ['no URL at all', { url: 'payer.example/hooks' }],
    ['an event type outside the catalog', { eventTypes: ['org.healthgraph.patient.viewed.v1'] }],
    ['no event type', { eventTypes: [] }],
  ])('refuses %s as BAD_USER_INPUT', async (_, overrides) => {
    expect(codesOf(await call(partnerOf('payer-input'), REGISTER, { input: input(overrides) }))).toEqual(['BAD_USER_INPUT']);
  });

  it('accepts plain http to a loopback receiver in embedded mode', async () => {
    expect(await registered(partnerOf('payer-local'), { url: 'http://127.0.0.1:9999/hooks' })).toMatchObject({ url: 'http://127.0.0.1:9999/hooks' });
  });

  it("keeps another organisation's endpoints out of sight: log, disable, enable and redeliver answer NOT_FOUND", async () => {
    const owner = partnerOf('payer-owner');
    const endpoint = await registered(owner);
    const deliveryId = await failedDelivery(endpoint.id, 'evt-hidden');
    const stranger = partnerOf('payer-stranger');
    expect(codesOf(await call(stranger, DELIVERIES, { id: endpoint.id }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await call(stranger, DISABLE, { id: endpoint.id }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await call(stranger, ENABLE, { id: endpoint.id }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await call(stranger, REDELIVER, { id: deliveryId }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await call(stranger, ENDPOINTS, { organizationId: 'payer-owner' }))).toEqual(['FORBIDDEN']);
    expect((await call(adminCaller, ENDPOINTS, { organizationId: 'payer-owner' })).data!.webhookEndpoints).toHaveLength(1);
  });

  it('serves the delivery log a page at a time and redelivers a failed delivery; not on a disabled endpoint', async () => {
    const partner = partnerOf('payer-log');
    const endpoint = await registered(partner);
    const older = await failedDelivery(endpoint.id, 'evt-older');
    const newer = await failedDelivery(endpoint.id, 'evt-newer');
    const firstPage = await call(partner, DELIVERIES, { id: endpoint.id, first: 1 });
    expect(firstPage.data!.webhookDeliveries).toMatchObject({
      attempts: [{ deliveryId: newer, eventId: 'evt-newer', eventType: CLAIM_SUBMITTED, attempt: 1, succeeded: false, statusCode: 503, errorKind: null, durationMs: 5, nextRetryAt: null }],
      hasNextPage: true,
    });
    const secondPage = await call(partner, DELIVERIES, { id: endpoint.id, first: 1, after: firstPage.data!.webhookDeliveries.endCursor });
    expect(secondPage.data!.webhookDeliveries).toMatchObject({ attempts: [{ deliveryId: older }], hasNextPage: false });
    expect(codesOf(await call(partner, DELIVERIES, { id: endpoint.id, after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);

    const redelivered = await call(partner, REDELIVER, { id: older });
    expect(redelivered.data!.redeliverWebhook).toMatchObject({ id: older, endpointId: endpoint.id, status: 'PENDING', attempts: 1 });

    expect((await call(partner, DISABLE, { id: endpoint.id })).data!.disableWebhookEndpoint).toMatchObject({ status: 'DISABLED', disabledReason: 'REQUESTED' });
    expect(codesOf(await call(partner, REDELIVER, { id: newer }))).toEqual(['CONFLICT']);
  });

  it('enables a disabled endpoint for its owner, queues what it missed, and redelivers again after', async () => {
    const partner = partnerOf('payer-back');
    const endpoint = await registered(partner);
    const failed = await failedDelivery(endpoint.id, 'evt-failed');
    expect((await call(partner, DISABLE, { id: endpoint.id })).data!.disableWebhookEndpoint).toMatchObject({ status: 'DISABLED' });
    // An event while disabled: its delivery is kept, held.
    const { deliveries } = webhookStores(subgraph.database);
    await deliveries.enqueue(endpoint.id, { id: 'evt-missed', type: CLAIM_SUBMITTED }, '{}');
    expect((await deliveries.claimDue(100, 60_000)).filter((due) => due.endpointId === endpoint.id)).toEqual([]);
    expect(codesOf(await call(partner, REDELIVER, { id: failed }))).toEqual(['CONFLICT']);

    const enabled = await call(partner, ENABLE, { id: endpoint.id });
    expect(enabled.data!.enableWebhookEndpoint).toEqual({ id: endpoint.id, status: 'ACTIVE', disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null });
    expect((await deliveries.claimDue(100, 60_000)).filter((due) => due.endpointId === endpoint.id)).toEqual([expect.objectContaining({ eventId: 'evt-missed' })]);
    expect((await call(partner, REDELIVER, { id: failed })).data!.redeliverWebhook).toMatchObject({ id: failed, status: 'PENDING' });
    // Enabling an active endpoint answers it as it is; an administrator may, a caller without the scope may not.
    expect((await call(adminCaller, ENABLE, { id: endpoint.id })).data!.enableWebhookEndpoint).toMatchObject({ status: 'ACTIVE' });
    expect(codesOf(await call(partnerOf('payer-back', ['system/Subscription.rs']), ENABLE, { id: endpoint.id }))).toEqual(['FORBIDDEN']);
  });

  it('refuses a caller without the Subscription scope (FORBIDDEN) and a call around the gateway (401)', async () => {
    expect(codesOf(await call(partnerOf('payer-scopeless', ['system/Claim.rus']), REGISTER, { input: input() }))).toEqual(['FORBIDDEN']);
    const around = await graphql(subgraph.url, ENDPOINTS);
    expect(around.status).toBe(401);
  });
});
