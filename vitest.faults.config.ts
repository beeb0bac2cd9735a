import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault-injection suite. Each file starts the whole system in production mode
// (every service its own process, a PostgreSQL cluster and a redis-server of its own), so files run one
// at a time and hooks get minutes on a loaded two-core machine.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // As in `npm test`: the developer's REDIS_URL, DATABASE_URL, ODOO_URL... never reach these processes.
    setupFiles: ['test/support/isolated-environment.ts'],
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
