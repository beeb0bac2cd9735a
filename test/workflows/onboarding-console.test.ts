// The operations console's onboardings panel in Chromium: with the workflows suite, since it runs the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { newPatient } from './onboarding-harness.ts';

const START = `mutation($input: StartPatientOnboardingInput!) { startPatientOnboarding(input: $input) { id } }`;
// A person pressing Refresh every other second, until the onboarding has come to wait on the patient.
const untilItWaits = { timeout: 90_000, intervals: [2_000] };

describe('the operations console\'s onboardings, in Chromium that may reach nothing beyond this machine', () => {
  let system: RunningSystem;
  let browser: Awaited<ReturnType<typeof openBrowser>>;

  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, workflows: true });
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.browser.close();
    await system?.close();
  });

  it('shows an onboarding waiting on the patient: on whom, since when, in which step, no name', { timeout: 150_000 }, async () => {
    const patient = newPatient();
    const started = await graphql(system.gateway.url, START, { input: { patient, serviceCode: '99213', serviceType: 'general-practice' } }, await bearerFor({ role: 'front_desk' }));
    expect(started.errors).toBeUndefined();
    const id = started.data!.startPatientOnboarding.id as string;

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${new URL(system.gateway.url).origin}/ops`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Signed in as operations');

    const row = page.locator('#onboardings tr', { hasText: id });
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row.count()) > 0 ? row.innerText() : '';
    }, untilItWaits).toContain('the patient');
    const text = await row.innerText();
    expect(text).toContain('WAITING');
    expect(text).toContain('giveConsent');
    expect(text).toMatch(/\(\d+ (s|min) ago\)/);
    expect(text).toMatch(/pat-/);
    expect(text).not.toContain(patient.name.family);
    await screenshot(page, 'operations-console-onboarding-waiting');
    expect(browser.outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
