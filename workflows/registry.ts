import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Logger } from '../platform/logger.ts';
import type { GraphClient } from './graph-client.ts';
import { onboardingCalls } from './onboarding/graph-calls.ts';
import { CURRENT_VERSION as ONBOARDING_CURRENT, DEFINITION as ONBOARDING, patientOnboarding, VERSIONS as ONBOARDING_VERSIONS } from './onboarding/patient-onboarding.ts';
import { appointmentVisitV1, DEFINITION as VISIT, VERSION as VISIT_V1 } from './visit/appointment-visit-v1.ts';
import { visitCalls } from './visit/graph-calls.ts';
import { registerWaitDefinition } from './waits.ts';
import { versionedName } from './versioned-name.ts';
import type { OnboardingOutbox } from './onboarding/announce.ts';


/** What a new onboarding starts on. */
export const CURRENT_ONBOARDING = versionedName(ONBOARDING, ONBOARDING_CURRENT);

/** What a confirmed appointment's visit preparation starts on. */
export const CURRENT_VISIT = versionedName(VISIT, VISIT_V1);

/** The queue onboardings wait on: any replica takes the next one, and only one takes it. */
export const ONBOARDING_QUEUE = 'onboarding';

/** The queue visit preparations wait on, apart from onboardings so neither holds up the other. */
export const VISIT_QUEUE = 'appointment-visits';

/** Registers the definitions with the engine; before launch. Onboardings announce their changes through `outbox`. */
export function registerDefinitions(graph: GraphClient, logger: Logger, outbox?: OnboardingOutbox): void {
  const calls = onboardingCalls(graph);
  for (const version of ONBOARDING_VERSIONS) DBOS.registerWorkflow(patientOnboarding(calls, logger, version, outbox), { name: versionedName(ONBOARDING, version) });
  DBOS.registerWorkflow(appointmentVisitV1(visitCalls(graph), logger), { name: CURRENT_VISIT });
  registerWaitDefinition();
}

/** Queues need the engine's database; after launch. */
export async function registerQueues(workerConcurrency: number): Promise<void> {
  await DBOS.registerQueue(ONBOARDING_QUEUE, { workerConcurrency });
  await DBOS.registerQueue(VISIT_QUEUE, { workerConcurrency });
}
