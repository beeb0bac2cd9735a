import type { EventLog } from '../platform/events/event-log.ts';
import type { Logger } from '../platform/logger.ts';
import { startWorkflowEvents, type WorkflowEventSettings } from './domain-events.ts';
import { launchWorkflowEngine, type WorkflowEngine, type WorkflowEngineSettings } from './engine.ts';
import { gatewayClient, type ServiceIdentity } from './graph-client.ts';
import type { OnboardingOutbox } from './onboarding/announce.ts';
import { registerDefinitions, registerQueues } from './registry.ts';

export interface WorkflowWorkerSettings extends Omit<WorkflowEngineSettings, 'logger'> {
  /** The gateway's /graphql: every step goes through it. */
  gatewayUrl: string;
  identity: ServiceIdentity;
  /** Workflows of each queue this replica runs at once. */
  concurrency: number;
  /**
   * The domain events the workflows react to, with what a visit preparation starts with. Without
   * them (a replica in a test of its own), waits only poll and no visit preparation starts here.
   */
  events?: { eventLog: EventLog; visit: WorkflowEventSettings['visit'] };
  /**
   * The workflows subgraph's database, whose outbox relay publishes what onboardings announce.
   * Without it (a replica in a test of its own) onboardings announce nothing.
   */
  outbox?: OnboardingOutbox;
  logger: Logger;
}

/**
 * Registers the definitions, launches the engine (recovering this executor's unfinished work),
 * takes from the queues and joins the workflows' consumer group.
 */
export async function startWorkflowWorker({ gatewayUrl, identity, concurrency, events, outbox, ...engine }: WorkflowWorkerSettings): Promise<WorkflowEngine> {
  registerDefinitions(gatewayClient(gatewayUrl, identity), engine.logger, outbox);
  const launched = await launchWorkflowEngine(engine);
  await registerQueues(concurrency);
  const consuming = events && startWorkflowEvents(events.eventLog, { consumer: engine.executorId, visit: events.visit, logger: engine.logger });
  return {
    async close() {
      // Events first: a handler mid-way still has the engine.
      await consuming?.close();
      await launched.close();
    },
  };
}
