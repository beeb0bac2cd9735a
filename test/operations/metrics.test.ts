import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricsRegistry } from '../../platform/observability/metrics.ts';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { MemoryCostBucket } from '../../gateway/rate-limit/memory-cost-bucket.ts';
import type { CostBucket } from '../../gateway/rate-limit/cost-bucket.ts';
import { codesOf, graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { connectSubscriber, type EventSubscriber } from '../subscriptions/event-client.ts';
import { increase, labelValues, sampleValue, scrape } from './prometheus-text.ts';

const soon = { timeout: 60_000, interval: 250 };

// Registered in policies/persisted-operations/portal-staff.json.
const PATIENT_OVERVIEW =
  'query PatientOverview($id: ID!) { patient(id: $id) { id mrn name { text } appointments { id status start practitioner { name { text } } charges { code amount { value currency } } } invoices { balance { value } } balance { value currency } } }';
const UNREGISTERED = 'query WhateverACallerNamesIt($id: ID!) { patient(id: $id) { id } }';
const COSTLY = '{ patients(search: { name: "a" }, first: 100) { edges { node { appointments { charges { code } } invoices { id } } } } }';
const ISSUE = 'mutation($patientId: ID!) { result: issueInvoice(patientId: $patientId) { id } }';
const EVENTS = 'subscription { billingEvents { type } }';

/** The cost bucket, except that one subject has spent its budget. */
const throttled = (bucket: CostBucket): CostBucket => ({
  take: (key, cost, limits) =>
    key.endsWith(':spent') && cost > 0 ? Promise.resolve({ allowed: false, currentlyAvailable: 0, maximumAvailable: limits.capacity, restoreRate: limits.restoreRate, retryAfterMs: 5_000 }) : bucket.take(key, cost, limits),
});

describe('/metrics after a known workload', () => {
  let system: RunningSystem;
  let subscriber: EventSubscriber;
  /** Before and after the workload: counters are asserted as their change (see increase). */
  let gatewayBefore: string;
  let patientsBefore: string;
  let gatewayText: string;

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true, governance: { bucket: throttled(new MemoryCostBucket()) } });
    const url = system.gateway.url;
    [gatewayBefore, patientsBefore] = await Promise.all([scrape(url), scrape(system.subgraphs.patients.url)]);
    const financeBefore = await scrape(system.subgraphs['odoo-finance'].url);
    const frontDesk = await bearerFor({ role: 'front_desk' });
    subscriber = connectSubscriber(url.replace(/^http/, 'ws'), (await bearerFor({ role: 'billing_specialist' })).authorization);
    subscriber.subscribe(EVENTS, {});

    expect((await graphql(url, PATIENT_OVERVIEW, { id: 'pat-0001' }, frontDesk)).errors).toBeUndefined();
    expect((await graphql(url, PATIENT_OVERVIEW, { id: 'pat-0002' }, frontDesk)).errors).toBeUndefined();
    expect((await graphql(url, UNREGISTERED, { id: 'pat-0001' }, frontDesk)).errors).toBeUndefined();
    expect(codesOf(await graphql(url, COSTLY, {}, await bearerFor({ role: 'front_desk', client: 'kiosk' })))).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(codesOf(await graphql(url, UNREGISTERED, { id: 'pat-0001' }, await bearerFor({ role: 'front_desk', subject: 'spent' })))).toEqual(['RATE_LIMITED']);
    const denied = await graphql(url, UNREGISTERED, { id: 'pat-0001' }, await bearerFor({ role: 'front_desk', scopes: ['user/Appointment.rs'] }));
    expect(codesOf(denied)).toContain('FORBIDDEN');

    // An invoice, so the Odoo sync calls Odoo and the consumer groups move.
    const billing = await bearerFor({ role: 'billing_specialist' });
    let issued = false;
    // The first seeded patient with charges not yet invoiced.
    for (let n = 1; n <= 300 && !issued; n++) {
      issued = !(await graphql(url, ISSUE, { patientId: `pat-${String(n).padStart(4, '0')}` }, billing)).errors;
    }
    expect(issued).toBe(true);
    await vi.waitFor(async () => {
      const odooFinance = await scrape(system.subgraphs['odoo-finance'].url);
      expect(increase(financeBefore, odooFinance, 'healthgraph_odoo_call_duration_seconds_count', { method: 'action_post' })).toBeGreaterThan(0);
      expect(sampleValue(odooFinance, 'healthgraph_sync_backlog', { kind: 'invoice' })).toBe(0);
    }, soon);
    gatewayText = await scrape(system.gateway.url);
  });

  afterAll(async () => {
    await subscriber?.client.dispose();
    await system?.close();
  });

  it('counts and times operations by registered name, the rest as "other"', () => {
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_graphql_requests_total', { service: 'gateway', operation: 'PatientOverview' })).toBe(2);
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_graphql_request_duration_seconds_count', { service: 'gateway', operation: 'PatientOverview' })).toBe(2);
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_graphql_requests_total', { service: 'gateway', operation: 'other' })).toBeGreaterThanOrEqual(3);
    expect(gatewayText).not.toContain('WhateverACallerNamesIt');
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_graphql_errors_total', { service: 'gateway', code: 'FORBIDDEN' })).toBeGreaterThanOrEqual(1);
  });

  it('counts and times the calls to each subgraph', () => {
    for (const subgraph of ['patients', 'appointments', 'billing']) {
      expect(increase(gatewayBefore, gatewayText, 'healthgraph_subgraph_requests_total', { subgraph })).toBeGreaterThan(0);
      expect(increase(gatewayBefore, gatewayText, 'healthgraph_subgraph_request_duration_seconds_count', { subgraph })).toBeGreaterThan(0);
    }
  });

  it('counts refusals by client tier and denials by the field denied', () => {
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_cost_refusals_total', { tier: 'default' })).toBe(1);
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_rate_limit_refusals_total', { tier: 'portal' })).toBe(1);
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_authorization_denials_total')).toBeGreaterThan(0);
  });

  it('shows the audit writer, the consumer groups, the webhooks and the subscriptions', () => {
    expect(increase(gatewayBefore, gatewayText, 'healthgraph_access_record_write_duration_seconds_count')).toBeGreaterThan(0);
    expect(sampleValue(gatewayText, 'healthgraph_access_records_queued')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(gatewayText, 'healthgraph_event_log_lag')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(gatewayText, 'healthgraph_event_log_pending')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(gatewayText, 'healthgraph_dead_letters')).toBe(0);
    expect(sampleValue(gatewayText, 'healthgraph_subscriptions_open')).toBe(1);
  });

  it("serves a subgraph's own operations and the finance side's state on the subgraph's /metrics", async () => {
    const patients = await scrape(system.subgraphs.patients.url);
    expect(increase(patientsBefore, patients, 'healthgraph_graphql_requests_total', { service: 'patients', operation: 'PatientOverview' })).toBeGreaterThanOrEqual(2);
    const finance = await scrape(system.subgraphs['odoo-finance'].url);
    expect(sampleValue(finance, 'healthgraph_odoo_breaker_state', { state: 'closed' })).toBe(1);
    expect(sampleValue(finance, 'healthgraph_sync_oldest_unsynced_invoice_age_seconds')).toBe(0);
    expect(sampleValue(finance, 'healthgraph_reconciliation_mismatches')).toBeGreaterThanOrEqual(0);
  });

  it('carries no patient data and no value a caller chose in any label', () => {
    const values = labelValues(gatewayText);
    expect(values.filter((value) => /pat-|inv-|apt-|Bearer|@/.test(value))).toEqual([]);
  });

  it('are every one listed in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const ours = metricsRegistry.getMetricsAsArray().map(({ name }) => name).filter((name) => !/^healthgraph_(process|nodejs)_/.test(name));
    expect(ours.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
