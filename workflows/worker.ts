import type { Logger } from '../platform/logger.ts';
import { launchWorkflowEngine, type WorkflowEngine, type WorkflowEngineSettings } from './engine.ts';
import { gatewayClient, type ServiceIdentity } from './graph-client.ts';
import { registerDefinitions, registerQueues } from './registry.ts';

export interface WorkflowWorkerSettings extends Omit<WorkflowEngineSettings, 'logger'> {
  /** The gateway's /graphql: every step goes through it. */
  gatewayUrl: string;
  identity: ServiceIdentity;
  /** Onboardings this replica runs at once. */
  concurrency: number;
  logger: Logger;
}

/** Registers the definitions, launches the engine (recovering this executor's unfinished work) and takes from the queue. */
export async function startWorkflowWorker({ gatewayUrl, identity, concurrency, ...engine }: WorkflowWorkerSettings): Promise<WorkflowEngine> {
  registerDefinitions(gatewayClient(gatewayUrl, identity), engine.logger);
  const launched = await launchWorkflowEngine(engine);
  await registerQueues(concurrency);
  return launched;
}
