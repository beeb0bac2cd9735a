// The gateway as its own service: `tsx gateway/main.ts [supergraph.graphql]`.
// Serves any Federation 2 supergraph; the healthcare one by default. PORT, HOST, SUBGRAPH_<NAME>_URL.
import { readFileSync } from 'node:fs';
import { boolSetting, intSetting, setting } from '../platform/config.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { defaultGatewayPort, supergraphPath } from '../schema/catalog.ts';
import { startGateway } from './server.ts';

const supergraphFile = process.argv[2] ?? supergraphPath;

runUntilSignalled(() =>
  startGateway({
    supergraphSdl: readFileSync(supergraphFile, 'utf8'),
    port: intSetting('PORT', defaultGatewayPort),
    host: setting('HOST'),
    subgraphTimeoutMs: intSetting('SUBGRAPH_TIMEOUT_MS', 10_000),
    introspection: boolSetting('INTROSPECTION', false),
  }),
);
