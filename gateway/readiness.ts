/** The gateway is ready when every subgraph answers its own readiness probe. */
export function subgraphsReady(subgraphUrls: string[], timeoutMs = 1000): () => Promise<boolean> {
  const probes = subgraphUrls.map((url) => new URL('/ready', url).toString());
  return async () => {
    const answers = await Promise.all(
      probes.map((probe) => fetch(probe, { signal: AbortSignal.timeout(timeoutMs) }).then((response) => response.ok, () => false)),
    );
    return answers.every(Boolean);
  };
}
