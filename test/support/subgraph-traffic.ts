import type { RunningSystem } from '../../launcher.ts';

/** Counts the GraphQL calls each subgraph receives, to prove a refused operation reached none. */
export function watchSubgraphTraffic(system: RunningSystem) {
  const counts = new Map<string, number>();
  for (const subgraph of Object.values(system.subgraphs)) {
    subgraph.http.server.on('request', (request) => {
      if (request.url?.startsWith('/graphql')) counts.set(subgraph.name, (counts.get(subgraph.name) ?? 0) + 1);
    });
  }
  return {
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    reset: () => counts.clear(),
  };
}
