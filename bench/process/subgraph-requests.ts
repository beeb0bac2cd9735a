import type { Server } from 'node:http';

/** Asked of a stack process over IPC: how many GraphQL requests its subgraphs have received so far. */
export const SUBGRAPH_REQUESTS = 'subgraph-requests';

/**
 * Counts the GraphQL requests the stack's subgraphs receive, and answers the runner's question,
 * so the bench can report how many subgraph requests each gateway sends per operation.
 */
export function countSubgraphRequests(servers: Server[]): void {
  let count = 0;
  for (const server of servers) {
    server.on('request', (request: { url?: string }) => {
      if (request.url?.startsWith('/graphql')) count++;
    });
  }
  process.on('message', (message) => {
    if (message === SUBGRAPH_REQUESTS) process.send?.({ [SUBGRAPH_REQUESTS]: count });
  });
}
