import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

const PATIENT = `query ($id: ID!) { patient(id: $id) { mrn appointments { practitioner { name { text } } } } }`;

describe('the API explorer, in Chromium that may reach nothing beyond this machine', () => {
  let system: RunningSystem;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let origin: string;

  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true });
    origin = new URL(system.gateway.url).origin;
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.browser.close();
    await system?.close();
  });

  const resultText = (page: Page) => page.locator('.result-window').innerText();

  it('opens from the endpoint, signs in as front_desk, runs the README patient query and shows the patient', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // A browser that opens the endpoint a README names lands in the explorer.
    await page.goto(system.gateway.url);
    expect(new URL(page.url()).pathname).toBe('/explorer');
    await page.locator('.graphiql-container').waitFor();

    await page.selectOption('#sign-in select[name="role"]', 'front_desk');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Signed in as front_desk');

    // The first tab is the README's patient query with pat-0001 in its variables.
    await page.locator('.graphiql-execute-button').click();
    const expected = await graphql(system.gateway.url, PATIENT, { id: 'pat-0001' }, await bearerFor({ role: 'front_desk' }));
    const { mrn, appointments } = expected.data!.patient as { mrn: string; appointments: Array<{ practitioner: { name: { text: string } } }> };
    await expect.poll(() => resultText(page), { timeout: 15_000 }).toContain(`"mrn": "${mrn}"`);
    expect(await resultText(page)).toContain(appointments[0]!.practitioner.name.text);
    expect(await resultText(page)).not.toContain('"errors"');

    await screenshot(page, 'explorer', 'explorer');
    expect(browser.outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
