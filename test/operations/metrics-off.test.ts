import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.ts';

/** METRICS is read once, when the metrics module loads: each test loads it afresh. */
describe('METRICS=false', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('records nothing, and a service has no /metrics', async () => {
    vi.stubEnv('METRICS', 'false');
    vi.resetModules();
    const metrics = await import('../../platform/observability/metrics.ts');
    const { startHttpService } = await import('../../platform/http/server.ts');
    metrics.graphqlRequests.labels({ service: 'patients', operation: 'other' }).inc();
    metrics.graphqlDuration.startTimer({ service: 'patients', operation: 'other' })();
    metrics.eventLogLag.set({ group: 'billing-encounters' }, 3);
    expect(await metrics.metricsRegistry.getMetricsAsJSON()).toEqual([]);

    const service = await startHttpService({ name: 'test', port: 0, logger: createLogger('test'), checks: [], routes: {} });
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('is on by default: the same calls are counted and served', async () => {
    vi.resetModules();
    const metrics = await import('../../platform/observability/metrics.ts');
    metrics.graphqlRequests.labels({ service: 'patients', operation: 'other' }).inc();
    expect((await metrics.graphqlRequests.get()).values).toEqual([expect.objectContaining({ value: 1, labels: { service: 'patients', operation: 'other' } })]);
  });
});
