import { defineConfig } from 'vitest/config';
import base, { suiteSettings } from './vitest.config.ts';

// `npm run test:workflows`: the durable onboarding workflows, on PostgreSQL with replicas in child
// processes killed -9 mid-step. A step of its own in `.ci/run`, so `npm test` stays under 10 minutes.
// The suites' settings, with these files only (mergeConfig would add to the base's lists, not replace them).
export default defineConfig({ ...base, test: { ...suiteSettings, include: ['test/workflows/**/*.test.ts'], exclude: ['**/node_modules/**'] } });
