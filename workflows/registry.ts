import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Logger } from '../platform/logger.ts';
import type { GraphClient } from './graph-client.ts';
import { onboardingCalls } from './onboarding/graph-calls.ts';
import { patientOnboardingV1, DEFINITION as ONBOARDING, VERSION as ONBOARDING_V1 } from './onboarding/patient-onboarding-v1.ts';

/**
 * Every version of every definition a running instance may still need. An instance is recorded
 * under its definition's versioned name and recovered by it, so it finishes on the version it
 * started with; a new version is added beside the old one, which goes once none of its instances
 * is left.
 */
export const versionedName = (definition: string, version: number) => `${definition}@v${version}`;

/** What a new onboarding starts on. */
export const CURRENT_ONBOARDING = versionedName(ONBOARDING, ONBOARDING_V1);

/** The queue onboardings wait on: any replica takes the next one, and only one takes it. */
export const ONBOARDING_QUEUE = 'onboarding';

/** Registers the definitions with the engine; before launch. */
export function registerDefinitions(graph: GraphClient, logger: Logger): void {
  const calls = onboardingCalls(graph);
  DBOS.registerWorkflow(patientOnboardingV1(calls, logger), { name: versionedName(ONBOARDING, ONBOARDING_V1) });
}

/** Queues need the engine's database; after launch. */
export async function registerQueues(workerConcurrency: number): Promise<void> {
  await DBOS.registerQueue(ONBOARDING_QUEUE, { workerConcurrency });
}
