// A workflows replica as the tests run it: a child process they can kill -9. Its tokens come from
// the embedded issuer of the system under test (DATA_DIR); the rest is workflows/main.ts's.
import { openEmbeddedIssuer, serviceTokens } from '../../gateway/authentication/embedded-issuer.ts';
import { setting } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { startWorkflowWorker } from '../../workflows/worker.ts';

const required = (name: 'WORKFLOWS_DATABASE_URL' | 'WORKFLOWS_EXECUTOR_ID' | 'GATEWAY_URL') =>
  setting(name) ?? (() => { throw new Error(`${name} is required`); })();

runUntilSignalled(async () => {
  const worker = await startWorkflowWorker({
    databaseUrl: required('WORKFLOWS_DATABASE_URL'),
    schema: setting('WORKFLOWS_SCHEMA'),
    executorId: required('WORKFLOWS_EXECUTOR_ID'),
    gatewayUrl: required('GATEWAY_URL'),
    identity: serviceTokens(await openEmbeddedIssuer({ dataDir: setting('DATA_DIR') }), 'onboarding_service'),
    concurrency: setting('WORKFLOWS_CONCURRENCY'),
    logger: createLogger('workflows'),
  });
  console.log(JSON.stringify({ msg: 'worker ready' }));
  return worker;
});
