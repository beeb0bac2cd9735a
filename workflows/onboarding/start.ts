import { DBOS } from '@dbos-inc/dbos-sdk';
import { randomUUID } from 'node:crypto';
import { CURRENT_ONBOARDING, ONBOARDING_QUEUE } from '../registry.ts';
import { defaultTiming, type OnboardingRequest, type OnboardingTiming } from './request.ts';
import { STATE_EVENT, type OnboardingState } from './state.ts';

export type StartOnboarding = Omit<OnboardingRequest, 'timing'> & { timing?: Partial<OnboardingTiming> };

/** Puts a new onboarding on the queue (on the current version); answers its id. */
export async function startPatientOnboarding(request: StartOnboarding, id = `onb-${randomUUID()}`): Promise<string> {
  const full: OnboardingRequest = { ...request, timing: { ...defaultTiming, ...request.timing } };
  await DBOS.enqueueWorkflowWithOptions({ queueName: ONBOARDING_QUEUE, workflowName: CURRENT_ONBOARDING, workflowID: id }, full);
  return id;
}

/** Where an onboarding stands; null for an id no onboarding has. */
export async function onboardingState(id: string): Promise<OnboardingState | null> {
  return DBOS.getEvent<OnboardingState>(id, STATE_EVENT, 0);
}

/** Wakes an onboarding waiting on the patient's consent (it also looks by itself every poll interval). */
export const consentRecorded = (id: string) => DBOS.send(id, 'recorded', 'consent');
