// The gateway as its own service: `tsx gateway/main.ts [supergraph.graphql]`.
// Serves any Federation 2 supergraph; the healthcare one by default. See README for the settings.
import { readFileSync } from 'node:fs';
import { intSetting, setting } from '../platform/config.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { defaultGatewayPort, supergraphPath } from '../schema/catalog.ts';
import { governanceFromSettings, openGatewayEnvironment } from './environment.ts';
import { startGateway } from './server.ts';

const supergraphFile = process.argv[2] ?? supergraphPath;

runUntilSignalled(async () => {
  const environment = await openGatewayEnvironment(setting('GATEWAY_MODE') === 'embedded' ? 'embedded' : 'production');
  const gateway = await startGateway({
    supergraphSdl: readFileSync(supergraphFile, 'utf8'),
    port: intSetting('PORT', defaultGatewayPort),
    host: setting('HOST'),
    subgraphTimeoutMs: intSetting('SUBGRAPH_TIMEOUT_MS', 10_000),
    authenticate: environment.authenticate,
    signInternalToken: environment.signInternalToken,
    governance: governanceFromSettings(environment),
  });
  return {
    async close() {
      await gateway.close();
      await environment.close();
    },
  };
});
