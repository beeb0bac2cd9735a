import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { governanceFromSettings } from '../../gateway/environment.ts';
import type { GovernanceSettings } from '../../gateway/pipeline.ts';
import { startGateway, type RunningGateway } from '../../gateway/server.ts';
import type { RunningSystem } from '../../launcher.ts';
import { supergraphPath } from '../../schema/catalog.ts';

/** How many GraphQL calls the system's subgraphs have received so far: the gateway POSTs every fetch. */
export function subgraphCallCounter(system: RunningSystem): () => number {
  let calls = 0;
  for (const subgraph of Object.values(system.subgraphs)) {
    subgraph.http.server.on('request', (request: IncomingMessage) => {
      if (request.method === 'POST') calls += 1;
    });
  }
  return () => calls;
}

export interface GatewayVariant {
  governance?: Partial<GovernanceSettings>;
  /** Subgraph name -> URL, over the system's own. */
  subgraphUrls?: Record<string, string>;
  subgraphTimeoutMs?: number;
}

/**
 * A second gateway over the system's subgraphs and environment, configured otherwise (production, safelist,
 * faults), started before the tests of the describe block this is called in and closed after them.
 */
export function useGatewayVariant(system: () => RunningSystem, variant: () => GatewayVariant): () => string {
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    const { subgraphs, environment } = system();
    const { governance, subgraphUrls, subgraphTimeoutMs } = variant();
    gateway = await startGateway({
      supergraphSdl: readFileSync(supergraphPath, 'utf8'),
      port: 0,
      subgraphUrls: { ...Object.fromEntries(Object.values(subgraphs).map(({ name, url }) => [name, url])), ...subgraphUrls },
      subgraphTimeoutMs,
      authenticate: environment.authenticate,
      signInternalToken: environment.signInternalToken,
      governance: { ...governanceFromSettings(environment), ...governance },
    });
  });
  afterAll(() => gateway?.close());
  return () => gateway!.url;
}

export interface StandIn {
  url: string;
  close(): Promise<void>;
}

/** A subgraph stand-in answering every call with `respond`; without it, never answering (a hung service). */
export async function subgraphStandIn(respond?: (response: ServerResponse) => void): Promise<StandIn> {
  const server = createServer((_request, response) => respond?.(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
