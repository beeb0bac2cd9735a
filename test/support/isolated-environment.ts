// Runs before every test file (vitest setupFiles): the tests see the settings they set themselves,
// never the developer's shell. A REDIS_URL, DATA_DIR or ODOO_URL exported for `npm start` must not
// send a test to that Redis, write keys into the repository's .data or change an assertion.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
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
// The suites against either plan executor (TEST_GATEWAY_EXECUTOR=apollo), asserting the same.
const executor = setting('TEST_GATEWAY_EXECUTOR');
if (executor) process.env.GATEWAY_EXECUTOR = executor;

// The whole system on Redis (`npm run test:system-postgres-redis`), as REDIS_URL makes `npm start` run: its event
// log and cost buckets under a prefix of this file's own, whose keys are deleted after (never a flush).
if (setting('TEST_SYSTEM_BACKENDS') === 'postgres-redis') {
  const redisUrl = setting('TEST_REDIS_URL');
  const prefix = `hg_test_${randomBytes(4).toString('hex')}:`;
  process.env.REDIS_URL = redisUrl;
  process.env.EVENT_LOG_KEY_PREFIX = `${prefix}events:`;
  process.env.COST_BUCKET_KEY_PREFIX = `${prefix}cost-bucket:`;
  afterAll(async () => {
    const { createClient } = await import('redis');
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*` })) if (keys.length > 0) await redis.del(keys);
    } finally {
      await redis.close();
    }
  });
}
