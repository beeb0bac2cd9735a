import { join } from 'node:path';
import type { StackReady } from './process/child.ts';
import { firstMessage, spawnNode } from './process/spawn.ts';
import { SUBGRAPH_REQUESTS } from './process/subgraph-requests.ts';
import type { Stack } from './targets.ts';

export type StackKind = 'federation' | 'healthcare';

/**
 * Starts a workload's subgraphs once, in their own process, and waits until they listen and the
 * supergraph with their URLs is written. Quiet logs: their load is the same for every gateway. With
 * `cpuProfileDir`, profiled like our gateway (the profile is written when the bench stops them).
 */
export async function startStack(kind: StackKind, workDir: string, dataDir: string, cpuProfileDir?: string): Promise<Stack & { stop(): Promise<void> }> {
  const supergraphFile = join(workDir, `${kind}.supergraph.graphql`);
  const spawned = spawnNode({
    entry: kind === 'federation' ? 'bench/federation-benchmark/serve.ts' : 'bench/healthcare/stack.ts',
    args: kind === 'federation' ? [supergraphFile] : [dataDir, supergraphFile],
    env: { LOG_LEVEL: 'warn', DATABASE_URL: undefined, REDIS_URL: undefined },
    nodeFlags: cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', join(cpuProfileDir, 'subgraphs')] : [],
  });
  try {
    const { subgraphUrls } = await firstMessage<StackReady>(spawned);
    const subgraphRequests = async () => {
      const answer = firstMessage<Record<typeof SUBGRAPH_REQUESTS, number>>(spawned);
      spawned.child.send(SUBGRAPH_REQUESTS);
      return (await answer)[SUBGRAPH_REQUESTS];
    };
    return { dataDir, supergraphFile, subgraphUrls, subgraphRequests, pid: spawned.pid, stop: () => spawned.stop() };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
}
