import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import base, { suiteSettings } from './vitest.config.ts';

// `npm run test:system-postgres-redis`: the suites that start the whole system, again, on PostgreSQL and
// Redis as production runs (`npm test` runs them on the embedded defaults). Found by what they call, so
// a new one is included: test/support/test-system.ts and the security harness start the system.
const wholeSystem = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .map((file) => `test/${file}`)
  .filter((file) => file.endsWith('.test.ts') && /\bstart(Test|Seeded)System\(/.test(readFileSync(file, 'utf8')));

export default defineConfig({
  ...base,
  test: { ...suiteSettings, include: wholeSystem, exclude: ['**/node_modules/**'], env: { ...suiteSettings.env, TEST_SYSTEM_BACKENDS: 'postgres-redis' } },
});
