import { defineConfig, type ViteUserConfig } from 'vitest/config';

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

/**
 * `npm test` runs most files one after another in two long-lived processes (isolate: false): a fresh
 * process and module graph per file cost about a third of its time. The files here get a process of
 * their own, because they change for good what a process shares with the files after it:
 * - vi.mock of our own modules (the mock stays in the shared module graph);
 * - startTracing: OpenTelemetry's tracer provider and context manager are global, set once per process;
 * - an environment variable assigned directly (vi.stubEnv and vi.unstubAllEnvs restore it, an assignment does not).
 * A file that restores what it changes (vi.unstubAllEnvs, vi.useRealTimers, vi.resetModules after a
 * stubbed setting) belongs with the others, and so does one that counts on the process-wide metrics:
 * it asserts the change its own work made, not the total (test/operations/metrics.test.ts).
 */
export const isolatedSuites = [
  'test/authorization/authorization-plugin.test.ts',
  'test/minimization/minimize.test.ts',
  'test/operations/tracing.test.ts',
  'test/operations/trace-sampling.test.ts',
  'test/operations/operations-graph.test.ts',
  'test/webhooks/webhook-deliverer.test.ts',
];

// graphql ships ESM (index.mjs) and CommonJS (index.js); Node and the Apollo packages load the
// CommonJS one. Tests must too, or a schema crosses "another module or realm".
const resolve = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

/** What every run of the suites shares (the other vitest.*.config.ts take it with files of their own). */
export const suiteSettings = {
  // The developer's shell does not reach the tests: no REDIS_URL, DATA_DIR, ODOO_URL... (see the file).
  setupFiles: ['test/support/isolated-environment.ts'],
  include: ['test/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'platform/**/*.test.ts'],
  exclude: ['**/node_modules/**', 'test/faults/**', 'test/workflows/**', ...slowSuites],
  testTimeout: 30_000,
  // Suites start the whole system (six subgraphs on PGlite): on two busy cores that takes a while.
  hookTimeout: 180_000,
  // Suites that build an ApolloGateway of their own: no telemetry to Apollo, no cloud metadata probes.
  env: { APOLLO_TELEMETRY_DISABLED: 'true' },
  // Suites start real servers (HTTP, PostgreSQL, Redis); two cores, so keep file parallelism modest.
  maxWorkers: 2,
} satisfies ViteUserConfig['test'];

// The number of workers is the run's, shared by its projects.
const { maxWorkers, ...projectSettings } = suiteSettings;

export default defineConfig({
  resolve,
  test: {
    maxWorkers,
    projects: [
      { resolve, test: { ...projectSettings, name: 'shared-process', isolate: false, exclude: [...projectSettings.exclude, ...isolatedSuites] } },
      { resolve, test: { ...projectSettings, name: 'own-process', include: isolatedSuites } },
    ],
  },
});
