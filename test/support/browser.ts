import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { setting } from '../../platform/config.ts';

/** Debian's chromium (installed by .ci/run), or the one CHROMIUM_PATH names. Nothing is downloaded. */
export const chromiumPath = setting('CHROMIUM_PATH');

/**
 * A real Chromium that may reach loopback only: every request to another host is aborted and
 * recorded, so a page that needs a CDN fails its test instead of passing on a connected laptop.
 */
export async function openBrowser(): Promise<{ browser: Browser; newPage(): Promise<Page>; outsideRequests: string[] }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  const outsideRequests: string[] = [];
  return {
    browser,
    outsideRequests,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.route('**/*', (route) => {
        const { hostname, protocol } = new URL(route.request().url());
        if (protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
        outsideRequests.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      return page;
    },
  };
}

/**
 * Screenshots are test artifacts, under test-results/screenshots (ignored by git); with
 * DOCS_SCREENSHOTS=1, one named `docs` (docs/<docs>.png, shown in the README) is written there too.
 */
export async function screenshot(page: Page, name: string, docs?: string): Promise<string> {
  const directory = join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (docs && setting('DOCS_SCREENSHOTS')) copyFileSync(path, join(process.cwd(), 'docs', `${docs}.png`));
  return path;
}
