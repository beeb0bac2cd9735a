import { NotReadyError, type ReadinessCheck } from '../platform/http/readiness.ts';

/**
 * One check per subgraph, by its own /ready. None is essential: with one subgraph down the gateway
 * still answers what does not need it (degraded), with UPSTREAM_UNAVAILABLE on the fields that do.
 */
export function subgraphChecks(subgraphUrls: ReadonlyMap<string, string>): ReadinessCheck[] {
  return [...subgraphUrls].map(([name, url]) => ({
    name,
    essential: false,
    async probe() {
      const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      if (!response?.ok) throw new NotReadyError(response ? `answers ${response.status}` : 'does not answer');
    },
  }));
}
