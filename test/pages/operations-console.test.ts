import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { startTracing } from '../../platform/observability/tracing.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

const ISSUE = `mutation ($key: String!) { issueInvoice(patientId: "pat-0001", idempotencyKey: $key) { id number lines { charge { appointment { id } } } } }`;
const SYNC_ISSUES = `{ odooSyncIssues { invoiceId status lastErrorCode } }`;
const REGISTER_ENDPOINT = `mutation ($url: String!) { registerWebhookEndpoint(input: { url: $url, eventTypes: ["org.healthgraph.claim.adjudicated.v1"] }) { id } }`;
const DISABLE_ENDPOINT = `mutation ($id: ID!) { disableWebhookEndpoint(id: $id) { status } }`;
const INVOICE_FLOW = 'invoice issued → posted in Odoo';
// The flow's objective is 60 s: seeing it missed takes that long, watching the console reload itself (every 10 s).
const overAMinute = { timeout: 150_000, intervals: [2_000] };
// A person pressing Refresh every other second stays within the operations client's cost budget.
const pressingRefresh = { timeout: 30_000, intervals: [2_000] };

describe('the operations console, in Chromium that may reach nothing beyond this machine', () => {
  let system: RunningSystem;
  let browser: Awaited<ReturnType<typeof openBrowser>>;

  beforeAll(async () => {
    // As under npm start: the services keep their recent spans for the console's traces panel.
    startTracing({ keepRecentSpans: 5_000 });
    system = await startSystem({ gatewayPort: 0, seedDemoData: true });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.browser.close();
    await system?.close();
  });

  /** What a person reads in one panel, after asking the console for the latest. */
  const panelText = async (page: Page, id: string) => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    return page.locator(`#${id}`).innerText();
  };
  /** The flow's verdict: met or missed. */
  const invoiceFlow = (page: Page) => page.locator('#flows tr', { hasText: INVOICE_FLOW }).locator('.badge').innerText();

  it('shows an invoice whose sync waits on an Odoo that is down, with its error, and the flow back within its objective after a retry', { timeout: 300_000 }, async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${new URL(system.gateway.url).origin}/ops`);
    // In embedded mode the console offers the operations role: no token handled by hand.
    expect(await page.locator('#sign-in select[name="role"]').inputValue()).toBe('operations');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Signed in as operations');
    await expect.poll(() => invoiceFlow(page), { timeout: 15_000 }).toBe('met');
    await expect.poll(() => panelText(page, 'dependencies'), pressingRefresh).toMatch(/Odoo: UP/);

    system.bundledOdoo!.setDown(true);
    const billing = await bearerFor({ role: 'billing_specialist' });
    const issued = await graphql(system.gateway.url, ISSUE, { key: `ops-console-${Date.now()}` }, billing);
    expect(issued.errors).toBeUndefined();
    const invoice = issued.data!.issueInvoice as { id: string; number: string; lines: Array<{ charge: { appointment: { id: string } } }> };

    // The delayed sync appears with its invoice, its appointment and the error the graph reports for it.
    await expect.poll(() => panelText(page, 'syncs'), pressingRefresh).toContain(invoice.number);
    const operations = await bearerFor({ role: 'operations' });
    const issue = ((await graphql(system.gateway.url, SYNC_ISSUES, {}, operations)).data!.odooSyncIssues as Array<{ invoiceId: string; status: string; lastErrorCode: string | null }>).find(({ invoiceId }) => invoiceId === invoice.id)!;
    expect(issue.lastErrorCode).toBeTruthy();
    const syncRow = page.locator('#syncs tr', { hasText: invoice.number });
    expect(await syncRow.innerText()).toContain(issue.lastErrorCode!);
    expect(await syncRow.innerText()).toContain(invoice.lines[0]!.charge.appointment.id);
    expect(await syncRow.innerText()).toContain('FAILING');
    expect(await panelText(page, 'dependencies')).toMatch(/Odoo: DOWN/);

    // Past its objective, the flow shows missed.
    await expect.poll(() => invoiceFlow(page), overAMinute).toBe('missed');
    await screenshot(page, 'operations-console-odoo-down', 'ops-console');

    // Odoo back, a person presses Retry: the invoice reaches Odoo and the flow is within its objective again.
    system.bundledOdoo!.setDown(false);
    await syncRow.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator('#console-message').innerText(), { timeout: 30_000 }).toContain(`Retry ${invoice.number}: ${invoice.number} SYNCED`);
    // The retry is one trace in the traces panel: the odoo-finance request and the calls it made to Odoo.
    const traceRows = async () => (await panelText(page, 'traces'), (await page.locator('#traces tr').allInnerTexts()).join('\n'));
    await expect.poll(traceRows, pressingRefresh).toMatch(/^(?=.*odoo-finance: POST \/graphql)(?=.*odoo: account\.move \w+).*$/m);
    await expect.poll(() => panelText(page, 'syncs'), pressingRefresh).not.toContain(invoice.number);
    await expect.poll(async () => (await panelText(page, 'flows'), invoiceFlow(page)), pressingRefresh).toBe('met');

    // The event the sync gave up on while Odoo was down is a dead letter of odoo-sync: replayed, none is left.
    const odooSync = page.locator('#dead-letters tr', { hasText: 'odoo-sync' });
    await odooSync.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => page.locator('#console-message').innerText()).toMatch(/^Replay odoo-sync: odoo-sync [1-9]/);
    await expect.poll(() => odooSync.locator('.badge').innerText()).toBe('0');

    // Reconciliation now: billing and Odoo agree again.
    await page.getByRole('button', { name: 'Run reconciliation now' }).click();
    await expect.poll(() => page.locator('#console-message').innerText(), { timeout: 30_000 }).toBe('Reconciliation: SUCCEEDED 0');
    await screenshot(page, 'operations-console-recovered');
    expect(browser.outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('re-enables a webhook endpoint its partner disabled, signed in with a pasted token', async () => {
    const payer = await bearerFor({ role: 'payer_partner', organization: 'pay-01' });
    const url = `http://127.0.0.1:9/hooks-${Date.now()}`;
    const registered = await graphql(system.gateway.url, REGISTER_ENDPOINT, { url }, payer);
    const { id } = registered.data!.registerWebhookEndpoint as { id: string };
    expect((await graphql(system.gateway.url, DISABLE_ENDPOINT, { id }, payer)).errors).toBeUndefined();

    const page = await browser.newPage();
    await page.goto(`${new URL(system.gateway.url).origin}/ops`);
    // As outside embedded mode: a token from the identity provider, pasted.
    await page.getByLabel('Bearer token').fill((await bearerFor({ role: 'operations' })).authorization!.slice('Bearer '.length));
    await page.getByRole('button', { name: 'Use token' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Signed in as operations');
    const endpoint = page.locator('#webhooks tr', { hasText: url });
    await expect.poll(() => endpoint.locator('.badge').innerText(), pressingRefresh).toBe('DISABLED');
    await endpoint.getByRole('button', { name: 'Re-enable' }).click();
    await expect.poll(() => page.locator('#console-message').innerText()).toBe(`Re-enable ${url}: ${id} ACTIVE`);
    await expect.poll(() => endpoint.locator('.badge').innerText()).toBe('ACTIVE');
    expect(browser.outsideRequests).toEqual([]);
  });
});
