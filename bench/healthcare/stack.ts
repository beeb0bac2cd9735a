// The healthcare subgraphs with seeded demo data, as the launcher starts them (PGlite in memory):
// `node --import tsx bench/healthcare/stack.ts <data dir> <supergraph file>` (started by bench/run.ts).
// The launcher's own gateway comes up with them and stays idle; the gateways under test are other processes.
import { parse } from 'graphql';
import { startSystem } from '../../launcher.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { subgraphCatalog, subgraphSdl } from '../../schema/catalog.ts';
import { announceReady } from '../process/child.ts';
import { countSubgraphRequests } from '../process/subgraph-requests.ts';
import { writeSupergraph } from '../supergraph.ts';

runUntilSignalled(async () => {
  const [dataDir, supergraphFile] = process.argv.slice(2);
  if (!dataDir || !supergraphFile) throw new Error('usage: stack.ts <data dir> <supergraph file>');
  const system = await startSystem({ gatewayPort: 0, seedDemoData: true, dataDir });
  const subgraphUrls = Object.fromEntries(Object.values(system.subgraphs).map(({ name, url }) => [name, url]));
  writeSupergraph(supergraphFile, subgraphCatalog.map(({ name }) => ({ name, url: subgraphUrls[name]!, typeDefs: parse(subgraphSdl(name)) })));
  countSubgraphRequests(Object.values(system.subgraphs).map(({ http }) => http.server));
  announceReady({ supergraphFile, subgraphUrls });
  return system;
});
