/** What a stack process (the subgraphs of a workload) tells the runner once it listens. */
export interface StackReady {
  supergraphFile: string;
  /** Subgraph name -> GraphQL URL. */
  subgraphUrls: Record<string, string>;
}

export function announceReady(ready: StackReady): void {
  process.send?.(ready);
}
