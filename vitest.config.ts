import { defineConfig } from 'vitest/config';

// Suites start real servers (HTTP, PostgreSQL, Redis); two cores, so keep file parallelism modest.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'platform/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/slow/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
