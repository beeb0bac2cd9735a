// A workflows replica as the tests run it: a child process they can kill -9. Its tokens come from
// the embedded issuer of the system under test (DATA_DIR); the rest is workflows/main.ts's.
import { openEmbeddedIssuer, serviceTokens } from '../../gateway/authentication/embedded-issuer.ts';
import { createLogger } from '../../platform/logger.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { startWorkflowWorker } from '../../workflows/worker.ts';

const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is required`); })();

runUntilSignalled(async () => {
  const worker = await startWorkflowWorker({
    databaseUrl: env('WORKFLOWS_DATABASE_URL'),
    schema: env('WORKFLOWS_SCHEMA'),
    executorId: env('WORKFLOWS_EXECUTOR_ID'),
    gatewayUrl: env('GATEWAY_URL'),
    identity: serviceTokens(await openEmbeddedIssuer({ dataDir: env('DATA_DIR') }), 'onboarding_service'),
    concurrency: 10,
    logger: createLogger('workflows'),
  });
  console.log(JSON.stringify({ msg: 'worker ready' }));
  return worker;
});
