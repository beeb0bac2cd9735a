import { readFileSync } from 'node:fs';

/** The subgraphs composed into the healthcare supergraph, with the port each listens on by default. */
export const subgraphCatalog = [
  { name: 'patients', port: 4001 },
  { name: 'appointments', port: 4002 },
  { name: 'billing', port: 4003 },
  { name: 'audit', port: 4004 },
  { name: 'odoo-finance', port: 4005 },
  { name: 'webhooks', port: 4006 },
  // Served by the workflows process (workflows/main.ts, or the launcher's), beside the engine it reads.
  { name: 'workflows', port: 4007 },
] as const;

export type SubgraphName = (typeof subgraphCatalog)[number]['name'];

export const defaultGatewayPort = 4000;

export const supergraphPath = new URL('./supergraph.graphql', import.meta.url);

const sdlFile = (file: string) => readFileSync(new URL(`./${file}.graphql`, import.meta.url), 'utf8');

/**
 * A subgraph's SDL, the contract its resolvers implement: its own file, and the operations
 * vocabulary every service shares (`operations.graphql`), in which it answers its own state.
 */
export function subgraphSdl(name: SubgraphName): string {
  return `${sdlFile(name)}\n${sdlFile('operations')}`;
}

export const defaultSubgraphUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

export function defaultPortOf(name: SubgraphName): number {
  return subgraphCatalog.find((subgraph) => subgraph.name === name)!.port;
}
