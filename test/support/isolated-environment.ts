// Runs before every test file (vitest setupFiles): the tests see the settings they set themselves,
// never the developer's shell. A REDIS_URL, DATA_DIR or ODOO_URL exported for `npm start` must not
// send a test to that Redis, write keys into the repository's .data or change an assertion.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { declarations, setting, SUBGRAPH_URL_SETTING } from '../../platform/config.ts';

const realOdooAsked = setting('ODOO_CONTRACT');
for (const { name, group } of declarations()) {
  // The real Odoo of the contract suite is named by the Odoo settings, and only with ODOO_CONTRACT=1.
  if (group === 'service' && !(realOdooAsked && /^ODOO_(URL|DB|USER|API_KEY)$/.test(name))) delete process.env[name];
}
for (const name of Object.keys(process.env)) if (SUBGRAPH_URL_SETTING.test(name)) delete process.env[name];

const dataDir = mkdtempSync(join(tmpdir(), 'hg-test-data-'));
process.env.DATA_DIR = dataDir;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// Quiet by default; a suite that reads a service's log lines sets LOG_LEVEL for that service.
process.env.LOG_LEVEL = setting('TEST_LOG_LEVEL');
