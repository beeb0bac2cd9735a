import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { startTracing } from '../../platform/observability/tracing.ts';
import { WebhookDeliveryStore } from '../../platform/webhooks/delivery-store.ts';
import { roles } from '../../policies/roles.ts';
import { codesOf, graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { startReceiver, type WebhookReceiver } from '../webhooks/receiver.ts';

const soon = { timeout: 60_000, interval: 250 };

const SERVICE = `service status dependencies { name status essential reason }
  consumerGroups { group lag pending deadLetterCount deadLetters { eventId eventType errorCode } }
  flows { id kind objective met detail waiting oldestWaitingSeconds lastRunAt lastRunOutcome nextRunAt }
  recentSpans(first: 5) { traceId spanId name service durationMs }`;

const STATE = `{
  patientsOperations { ${SERVICE} } appointmentsOperations { ${SERVICE} } billingOperations { ${SERVICE} }
  auditOperations { ${SERVICE} } odooFinanceOperations { ${SERVICE} } webhooksOperations { ${SERVICE} }
  odooHealth { status breaker version reason }
}`;

const SYNC_ISSUES = '{ odooSyncIssues { invoiceId invoiceNumber appointmentIds status invoiceSynced waitingSince attempts lastErrorCode lastAttemptAt } }';
const RETRY = 'mutation($id: ID!) { retryOdooSync(invoiceId: $id) { invoiceId status invoiceSynced odooInvoiceId attempts lastErrorCode } }';
const RUN_NOW = 'mutation { runReconciliation { id trigger slot outcome mismatches requestedBy } }';
const RUNS = '{ reconciliationRuns(first: 5) { id trigger outcome requestedBy } }';
const REPLAY = 'mutation($group: String!) { replayOdooFinanceDeadLetters(group: $group) { group replayed } }';
const ISSUE = 'mutation($patientId: ID!) { result: issueInvoice(patientId: $patientId) { id number } }';
const ACTIONS = 'query($from: DateTime!, $to: DateTime!) { actionTrail(from: $from, to: $to) { subject roles operationType outcome actions { action target } } }';

type Service = { service: string; status: string; dependencies: Array<{ name: string; status: string }>; consumerGroups: Array<{ group: string }>; flows: Array<{ id: string; met: boolean; kind: string }> };

describe('operations state and actions through the gateway', () => {
  let system: RunningSystem;
  let url: string;
  let operations: Record<string, string>;
  let invoiceId: string;
  let receiver: WebhookReceiver | undefined;
  let endpointId: string;
  let deliveryId: string;

  beforeAll(async () => {
    // As under npm start: the last spans kept in memory, which each service shows of its own.
    startTracing({ keepRecentSpans: 5_000 });
    // The schedule off: this suite asks for runs itself (the scheduler has a suite of its own).
    process.env.RECONCILIATION_SCHEDULE = 'off';
    system = await startSystem({ gatewayPort: 0, seedDemoData: true });
    delete process.env.RECONCILIATION_SCHEDULE;
    url = system.gateway.url;
    operations = await bearerFor({ role: 'operations', subject: 'ops-alice' });
  });

  afterAll(async () => {
    system?.bundledOdoo?.setDown(false);
    await system?.close();
    await receiver?.close();
  });

  it('shows each service its dependencies, consumer groups and flows, and Odoo with its breaker', async () => {
    const response = await graphql<Record<string, Service>>(url, STATE, {}, operations);
    expect(response.errors).toBeUndefined();
    const data = response.data!;
    const services = ['patientsOperations', 'appointmentsOperations', 'billingOperations', 'auditOperations', 'odooFinanceOperations', 'webhooksOperations'].map((field) => data[field]!);
    expect(services.map((state) => state.service)).toEqual(['patients', 'appointments', 'billing', 'audit', 'odoo-finance', 'webhooks']);
    for (const state of services) {
      expect(state.status).toBe('READY');
      expect(state.dependencies.map((dependency) => [dependency.name, dependency.status])).toEqual(expect.arrayContaining([['database', 'UP'], ['event-log', 'UP']]));
    }
    expect(data.billingOperations!.dependencies).toContainEqual(expect.objectContaining({ name: 'payer', status: 'UP' }));
    expect(data.odooFinanceOperations!.dependencies).toContainEqual(expect.objectContaining({ name: 'odoo', status: 'UP' }));
    expect(data.billingOperations!.consumerGroups.map((group) => group.group)).toContain('billing-encounters');
    expect(data.odooFinanceOperations!.consumerGroups.map((group) => group.group)).toEqual(['odoo-sync', 'odoo-finance-patient-merges']);
    expect(data.webhooksOperations!.consumerGroups.map((group) => group.group)).toEqual(['webhooks']);
    expect(data.patientsOperations!.consumerGroups).toEqual([]);
    const flows = services.flatMap((state) => state.flows.map((flow) => flow.id)).sort();
    expect(flows).toEqual(
      ['cancellation-to-void', 'coverage-to-payer-members', 'encounter-to-charges', 'events-to-webhooks', 'invoice-to-odoo', 'odoo-payment-to-billing', 'payment-to-odoo', 'reconciliation'].sort(),
    );
    expect(data.odooFinanceOperations!.flows.find((flow) => flow.id === 'invoice-to-odoo')).toMatchObject({ kind: 'REAL_TIME', met: true });
    expect(data.odooHealth).toMatchObject({ status: 'UP', breaker: 'CLOSED', reason: null });
    expect((data.odooHealth as unknown as { version: string }).version).toMatch(/^19/);
  });

  it('shows a delayed sync while Odoo is away, with its invoice, appointments and error, and clears it on retry', async () => {
    system.bundledOdoo!.setDown(true);
    const billing = await bearerFor({ role: 'billing_specialist' });
    // The first seeded patient with charges not yet invoiced.
    for (let n = 1; n <= 300 && !invoiceId; n++) {
      const issued = await graphql(url, ISSUE, { patientId: `pat-${String(n).padStart(4, '0')}` }, billing);
      if (!issued.errors) invoiceId = issued.data!.result.id;
    }
    expect(invoiceId).toBeDefined();

    const issue = await vi.waitFor(async () => {
      const { data, errors } = await graphql(url, SYNC_ISSUES, {}, operations);
      expect(errors).toBeUndefined();
      const found = data!.odooSyncIssues.find((entry: { invoiceId: string }) => entry.invoiceId === invoiceId);
      expect(found).toMatchObject({ status: 'FAILING', invoiceSynced: false });
      return found;
    }, soon);
    expect(issue.attempts).toBeGreaterThan(0);
    expect(issue.lastErrorCode).toMatch(/^Odoo/);
    expect(issue.appointmentIds.length).toBeGreaterThan(0);
    expect(issue.appointmentIds.every((id: string) => id.startsWith('apt-'))).toBe(true);
    expect(Date.parse(issue.waitingSince)).toBeLessThanOrEqual(Date.now());

    // Each look at Odoo's health asks it (three tries): the breaker opens for its 30 s cool-down.
    await vi.waitFor(async () => {
      const { odooHealth } = (await graphql(url, '{ odooHealth { status breaker reason } }', {}, operations)).data!;
      expect(odooHealth).toEqual({ status: 'DOWN', breaker: 'OPEN', reason: 'circuit breaker open' });
    }, soon);

    // The operator's retry goes through the open breaker as its probe, and closes it.
    system.bundledOdoo!.setDown(false);
    const retried = await graphql(url, RETRY, { id: invoiceId }, operations);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.retryOdooSync).toMatchObject({ invoiceId, status: 'SYNCED', invoiceSynced: true, attempts: 0, lastErrorCode: null });
    expect(retried.data!.retryOdooSync.odooInvoiceId).toBeGreaterThan(0);
    expect((await graphql(url, '{ odooHealth { status breaker } }', {}, operations)).data!.odooHealth).toEqual({ status: 'UP', breaker: 'CLOSED' });

    const after = await graphql(url, `{ odooSyncIssues { invoiceId } odooFinanceOperations { flows { id met } } }`, {}, operations);
    expect(after.data!.odooSyncIssues.map((entry: { invoiceId: string }) => entry.invoiceId)).not.toContain(invoiceId);
    expect(after.data!.odooFinanceOperations.flows.find((flow: { id: string }) => flow.id === 'invoice-to-odoo').met).toBe(true);
  });

  it('runs reconciliation now and lists the run, and refuses one while another run is under way', async () => {
    const run = await graphql(url, RUN_NOW, {}, operations);
    expect(run.errors).toBeUndefined();
    expect(run.data!.runReconciliation).toMatchObject({ trigger: 'ON_DEMAND', slot: null, outcome: 'SUCCEEDED', requestedBy: 'ops-alice' });
    expect(run.data!.runReconciliation.mismatches).toBeGreaterThanOrEqual(0);
    const runs = await graphql(url, RUNS, {}, operations);
    expect(runs.data!.reconciliationRuns[0]).toMatchObject({ id: run.data!.runReconciliation.id, outcome: 'SUCCEEDED' });
    const flow = (await graphql(url, '{ odooFinanceOperations { flows { id met lastRunOutcome } } }', {}, operations)).data!.odooFinanceOperations.flows.find(
      (entry: { id: string }) => entry.id === 'reconciliation',
    );
    expect(flow).toMatchObject({ met: true, lastRunOutcome: 'SUCCEEDED' });

    // Another replica's run under way holds this one back.
    const finance = system.subgraphs['odoo-finance'].database;
    await finance.query(`INSERT INTO reconciliation_run (id, trigger) VALUES ('rec-elsewhere', 'ON_DEMAND')`);
    const held = await graphql(url, RUN_NOW, {}, operations);
    expect(codesOf(held)).toEqual(['CONFLICT']);
    expect(held.errors![0]!.extensions!.reason).toBe('RECONCILIATION_RUNNING');
    await finance.query(`UPDATE reconciliation_run SET outcome = 'SUCCEEDED', finished_at = now(), mismatches = 0 WHERE id = 'rec-elsewhere'`);
  });

  it('replays a dead-letter group of the service, and refuses a group that is not its own', async () => {
    const replayed = await graphql(url, REPLAY, { group: 'odoo-sync' }, operations);
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data!.replayOdooFinanceDeadLetters.group).toBe('odoo-sync');
    const foreign = await graphql(url, REPLAY, { group: 'billing-encounters' }, operations);
    expect(codesOf(foreign)).toEqual(['BAD_USER_INPUT']);
    expect(foreign.errors![0]!.extensions!.reason).toBe('UNKNOWN_CONSUMER_GROUP');
  });

  it("shows the Odoo calls among odoo-finance's recent spans, ids and names only", async () => {
    const { data, errors } = await graphql(url, '{ odooFinanceOperations { recentSpans(first: 200) { traceId spanId name service durationMs error } } }', {}, operations);
    expect(errors).toBeUndefined();
    const spans = data!.odooFinanceOperations.recentSpans as Array<{ traceId: string; name: string; service: string; durationMs: number }>;
    expect(spans.some((span) => span.service === 'odoo' && span.name === 'account.move create')).toBe(true);
    expect(spans.every((span) => ['odoo-finance', 'odoo-sync', 'odoo-finance-patient-merges', 'odoo'].includes(span.service))).toBe(true);
    expect(spans.every((span) => /^[0-9a-f]{32}$/.test(span.traceId) && span.durationMs >= 0)).toBe(true);
  });

  it("lists a partner's failing delivery, and re-enables its endpoint and redelivers for it", async () => {
    receiver = await startReceiver([500, 200]);
    const partner = await bearerFor({ role: 'payer_partner', organization: 'pay-01' });
    const registered = await graphql(url, 'mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { id } }', { input: { url: receiver.url, eventTypes: ['org.healthgraph.claim.adjudicated.v1'] } }, partner);
    expect(registered.errors).toBeUndefined();
    endpointId = registered.data!.registerWebhookEndpoint.id;
    // An event matched for the endpoint, as the deliverer queues it.
    await new WebhookDeliveryStore(system.subgraphs.webhooks.database).enqueue(endpointId, { id: 'evt-operations-1', type: 'org.healthgraph.claim.adjudicated.v1' }, '{}');

    const failing = await vi.waitFor(async () => {
      const { data, errors } = await graphql(url, '{ failingWebhookDeliveries { id endpointId eventId status attempts nextAttemptAt lastAttempt { succeeded statusCode at } } }', {}, operations);
      expect(errors).toBeUndefined();
      const found = data!.failingWebhookDeliveries.find((delivery: { endpointId: string }) => delivery.endpointId === endpointId);
      expect(found).toMatchObject({ eventId: 'evt-operations-1', status: 'PENDING', attempts: 1, lastAttempt: { succeeded: false, statusCode: 500 } });
      return found;
    }, soon);
    deliveryId = failing.id;
    const endpoints = await graphql(url, '{ webhookEndpoints { id organizationId consecutiveFailures } }', {}, operations);
    expect(endpoints.data!.webhookEndpoints).toContainEqual({ id: endpointId, organizationId: 'pay-01', consecutiveFailures: 1 });

    // The partner stops it; operations start it again, and what it missed goes out at once.
    expect((await graphql(url, `mutation { disableWebhookEndpoint(id: "${endpointId}") { status } }`, {}, partner)).data!.disableWebhookEndpoint.status).toBe('DISABLED');
    const enabled = await graphql(url, `mutation { enableWebhookEndpoint(id: "${endpointId}") { status } }`, {}, operations);
    expect(enabled.data!.enableWebhookEndpoint.status).toBe('ACTIVE');
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(2), soon);
    await vi.waitFor(async () => {
      const { data } = await graphql(url, '{ failingWebhookDeliveries { id } }', {}, operations);
      expect(data!.failingWebhookDeliveries.map((delivery: { id: string }) => delivery.id)).not.toContain(deliveryId);
    }, soon);

    const redelivered = await graphql(url, `mutation { redeliverWebhook(deliveryId: "${deliveryId}") { id status } }`, {}, operations);
    expect(redelivered.errors).toBeUndefined();
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(3), soon);
  });

  it('puts each action on record: who did what to which id', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const auditor = await bearerFor({ role: 'auditor' });
    // Record, then release: each action's record was durable before its answer left the gateway.
    const { data, errors } = await graphql(url, ACTIONS, { from, to }, auditor);
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    const trail = data!.actionTrail as Array<{ subject: string; roles: string[]; actions: Array<{ action: string; target: string }> }>;
    const done = trail.flatMap((record) => record.actions.map(({ action, target }) => `${record.subject} ${action} ${target}`));
    expect(done).toContain(`ops-alice retryOdooSync ${invoiceId}`);
    expect(done).toContain('ops-alice replayOdooFinanceDeadLetters odoo-sync');
    expect(done.some((entry) => entry.startsWith('ops-alice runReconciliation rec'))).toBe(true);
    expect(done).toContain(`ops-alice enableWebhookEndpoint ${endpointId}`);
    expect(done).toContain(`ops-alice redeliverWebhook ${deliveryId}`);
    // The refused replay did nothing, and is not an action on record.
    expect(done).not.toContain('ops-alice replayOdooFinanceDeadLetters billing-encounters');
    expect(trail.every((record) => record.subject === 'ops-alice' && record.roles.includes('operations'))).toBe(true);
  });

  it("answers the console's whole view in one request, within the staff client's cost limit", async () => {
    const service = `service status dependencies { name status essential reason }
      consumerGroups { group lag pending deadLetterCount deadLetters { eventId eventType subject attempts errorCode failedAt } }
      flows { id description kind objective met detail waiting oldestWaitingSeconds lastRunAt lastRunOutcome nextRunAt }
      recentSpans(first: 20) { traceId spanId parentSpanId name service startedAt durationMs error }`;
    const view = `{
      patientsOperations { ${service} } appointmentsOperations { ${service} } billingOperations { ${service} }
      auditOperations { ${service} } odooFinanceOperations { ${service} } webhooksOperations { ${service} }
      odooHealth { status breaker version reason }
      odooSyncIssues { invoiceId invoiceNumber appointmentIds status waitingSince attempts lastErrorCode lastAttemptAt }
      reconciliation { id kind invoiceId odooInvoiceId field billingValue odooValue foundAt }
      reconciliationRuns(first: 5) { id trigger slot startedAt finishedAt outcome mismatches errorCode }
      failingWebhookDeliveries { id endpointId eventType status attempts nextAttemptAt lastAttempt { statusCode errorKind at } }
      webhookEndpoints { id organizationId url status disabledReason consecutiveFailures failingSince }
    }`;
    const answered = await graphql(url, view, {}, operations);
    expect(answered.errors).toBeUndefined();
    expect(answered.extensions!.cost.requestedQueryCost).toBeLessThanOrEqual(1_000);
  });

  it('refuses every role but operations and admin, at the gateway', async () => {
    const admin = await graphql(url, '{ billingOperations { service } odooSyncIssues { invoiceId } failingWebhookDeliveries { id } }', {}, await bearerFor({ role: 'admin' }));
    expect(admin.errors).toBeUndefined();
    const others = (Object.keys(roles) as Array<keyof typeof roles>).filter((role) => role !== 'operations' && role !== 'admin');
    for (const role of others) {
      const bound = roles[role].bindsTo === 'patient' ? { patient: 'pat-0001' } : roles[role].bindsTo === 'organization' ? { organization: 'pay-01' } : {};
      const headers = await bearerFor({ role, ...bound });
      const read = await graphql(url, '{ odooFinanceOperations { service } odooSyncIssues { invoiceId } odooHealth { status } failingWebhookDeliveries { id } }', {}, headers);
      expect(codesOf(read), role).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      for (const mutation of [RUN_NOW, 'mutation { replayBillingDeadLetters(group: "billing-encounters") { replayed } }', `mutation { retryOdooSync(invoiceId: "${invoiceId}") { status } }`]) {
        expect(codesOf(await graphql(url, mutation, {}, headers)), `${role}: ${mutation}`).toEqual(['FORBIDDEN']);
      }
    }
  });

  it('has the subgraph refuse a call whose internal token names no operations role, and one without a token', async () => {
    const subgraph = system.subgraphs['odoo-finance'].url;
    const asFrontDesk = await system.environment.signInternalToken({
      subject: 'demo-front_desk',
      clientId: 'portal-staff',
      roles: ['front_desk'],
      // Even with the operations scopes: the policy is the role's.
      scopes: roles.operations.defaultScopes as string[],
      purposeOfUse: 'HSYSADMIN',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    });
    const runsBefore = (await graphql(url, RUNS, {}, operations)).data!.reconciliationRuns;
    const refused = await graphql(subgraph, 'mutation { runReconciliation { id } }', {}, { authorization: `Bearer ${asFrontDesk}` });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    const anonymous = await fetch(subgraph, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ odooSyncIssues { invoiceId } }' }) });
    expect(anonymous.status).toBe(401);
    // Nothing ran.
    expect((await graphql(url, RUNS, {}, operations)).data!.reconciliationRuns).toEqual(runsBefore);
  });
});
