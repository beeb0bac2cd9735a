import { defineConfig } from 'vitest/config';

/**
 * Whole-system suites of a minute or more each, run by `npm run test:slow` (a step of .ci/run) rather than
 * `npm test`: every role against every root field of the supergraph, a gateway killed -9 under load
 * three times, the operations console in Chromium through an Odoo outage (it waits out a flow's 60 s
 * objective to see it missed), gateway workers in a cluster on Redis, and a whole system traced as the
 * gateway runs alone (no context manager, so it cannot share a process with the other trace tests).
 */
export const slowSuites = [
  'test/security/generated-access.test.ts',
  'test/security/gateway-crash.test.ts',
  'test/pages/operations-console.test.ts',
  'test/gateway/gateway-workers.test.ts',
  'test/operations/gateway-trace-context.test.ts',
];

// Suites start real servers (HTTP, PostgreSQL, Redis); two cores, so keep file parallelism modest.
export default defineConfig({
  // graphql ships ESM (index.mjs) and CommonJS (index.js); Node and the Apollo packages load the
  // CommonJS one. Tests must too, or a schema crosses "another module or realm".
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // The developer's shell does not reach the tests: no REDIS_URL, DATA_DIR, ODOO_URL... (see the file).
    setupFiles: ['test/support/isolated-environment.ts'],
    include: ['test/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'platform/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/faults/**', 'test/workflows/**', ...slowSuites],
    testTimeout: 30_000,
    // Suites start the whole system (six subgraphs on PGlite): on two busy cores that takes a while.
    hookTimeout: 180_000,
    maxWorkers: 2,
    // Suites that build an ApolloGateway of their own: no telemetry to Apollo, no cloud metadata probes.
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
  },
});
