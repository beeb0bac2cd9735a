// Our gateway as the federation audit runs it (`npm run conformance`): embedded mode, any supergraph
// given as the last argument, on 127.0.0.1:4000 with /graphql and /health. The audit's client sends
// no token, so every request it sends calls as one administrator: with the pipeline on, anonymous
// callers' cost tier would refuse the audit's list-in-list queries. GOVERNANCE=false turns the
// pipeline off as in the benchmark.
import { readFileSync } from 'node:fs';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { governanceFromSettings, openGatewayEnvironment } from '../../gateway/environment.ts';
import { startGateway } from '../../gateway/server.ts';
import { dataDirectory, setting } from '../../platform/config.ts';
import { runUntilSignalled } from '../../platform/process.ts';

runUntilSignalled(async () => {
  const environment = await openGatewayEnvironment('embedded');
  const administrator = `Bearer ${await (await openEmbeddedIssuer({ dataDir: dataDirectory() })).issueToken({ role: 'admin', ttlSeconds: 24 * 3600 })}`;
  const gateway = await startGateway({
    supergraphSdl: readFileSync(process.argv.at(-1)!, 'utf8'),
    port: 4000,
    host: '127.0.0.1',
    executor: setting('GATEWAY_EXECUTOR'),
    authenticate: (header) => environment.authenticate(header ?? administrator),
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
