// Our gateway as the federation audit runs it (`npm run conformance`): embedded mode, any supergraph
// given as the last argument, on 127.0.0.1:4000 with /graphql and /health. The audit's client sends
// no token, so every request it sends calls as one administrator. Its subgraphs declare no @listSize,
// so a list is assumed to hold 10 items and its lists nested three deep, with a fragment per type,
// are estimated at over 4,000 points: the administrator's client gets a tier of its own with room for
// them, as a deployment sizes tiers for its clients; every step of the pipeline stays on.
// GOVERNANCE=false turns the pipeline off as in the benchmark.
import { readFileSync } from 'node:fs';
import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { governanceFromSettings, openGatewayEnvironment } from '../../gateway/environment.ts';
import { startGateway } from '../../gateway/server.ts';
import { dataDirectory, setting } from '../../platform/config.ts';
import { clientTiers } from '../../policies/client-tiers.ts';
import { runUntilSignalled } from '../../platform/process.ts';

/** A client id no tier names is in the `default` tier, here sized for the audit. */
const AUDIT_CLIENT = 'federation-audit';
const auditTiers = { ...clientTiers, default: { maxCostPerOperation: 10_000, capacity: 100_000, restoreRate: 10_000 } };

runUntilSignalled(async () => {
  const environment = await openGatewayEnvironment('embedded');
  const administrator = `Bearer ${await (await openEmbeddedIssuer({ dataDir: dataDirectory() })).issueToken({ role: 'admin', client: AUDIT_CLIENT, ttlSeconds: 24 * 3600 })}`;
  const gateway = await startGateway({
    supergraphSdl: readFileSync(process.argv.at(-1)!, 'utf8'),
    port: 4000,
    host: '127.0.0.1',
    executor: setting('GATEWAY_EXECUTOR'),
    authenticate: (header) => environment.authenticate(header ?? administrator),
    signInternalToken: environment.signInternalToken,
    governance: { ...governanceFromSettings(environment), tiers: auditTiers },
  });
  return {
    async close() {
      await gateway.close();
      await environment.close();
    },
  };
});
