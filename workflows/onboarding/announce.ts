import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Queryable } from '../../platform/database/database.ts';
import { emitOnce } from '../../platform/events/outbox.ts';
import { listAnnounced } from '../graph/onboarding-listing.ts';
import type { OnboardingState } from './state.ts';

export const ONBOARDING_CHANGED = 'org.healthgraph.onboarding.changed.v1';

/** The engine's name for an announcement's step. */
export const ANNOUNCE_STEP = 'announceState';

/** Where onboardings announce their changes: the workflows subgraph's outbox, which its relay publishes, and its listing. */
export type OnboardingOutbox = Queryable;

/**
 * The `count`th announcement of an onboarding's state, as a checkpointed step: its event id is the
 * onboarding's id and the count, so a step that runs again after a crash finds its row written and
 * writes no second one; the listing takes it unless it holds this one or a later. Ids and states
 * only. Without an outbox (a replica in a test of its own) the step still runs, so every replica
 * records the same steps, and announces nothing.
 */
export function announceOnboarding(outbox: OnboardingOutbox | undefined, state: OnboardingState, count: number): Promise<void> {
  const { id: onboardingId, patientId, status, waitingOn } = state;
  return DBOS.runStep(
    async () => {
      if (!outbox) return;
      await listAnnounced(outbox, state, count);
      await emitOnce(outbox, ONBOARDING_CHANGED, { onboardingId, ...(patientId && { patientId }), status, waitingOn }, { id: `${onboardingId}:changed:${count}`, sequence: count });
    },
    { name: ANNOUNCE_STEP },
  );
}
