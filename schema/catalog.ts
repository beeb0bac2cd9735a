import { readFileSync } from 'node:fs';

/** The subgraphs composed into the healthcare supergraph, with the port each listens on by default and the file that runs it alone. */
export const subgraphCatalog = [
  { name: 'patients', port: 4001, main: 'subgraphs/patients/main.ts' },
  { name: 'appointments', port: 4002, main: 'subgraphs/appointments/main.ts' },
  { name: 'billing', port: 4003, main: 'subgraphs/billing/main.ts' },
  { name: 'audit', port: 4004, main: 'subgraphs/audit/main.ts' },
  { name: 'odoo-finance', port: 4005, main: 'subgraphs/odoo-finance/main.ts' },
  { name: 'webhooks', port: 4006, main: 'subgraphs/webhooks/main.ts' },
  // Served by a workflows replica (or the launcher's process), beside the engine it reads; the
  // replica calls the gateway, so it is started after it.
  { name: 'workflows', port: 4007, main: 'workflows/main.ts' },
] as const;

/** The subgraphs that are services of their own, started before the gateway (the workflows' replica is not one). */
export const standaloneSubgraphs = subgraphCatalog.filter(({ main }) => main.startsWith('subgraphs/'));

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
