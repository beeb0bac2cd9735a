import { DBOS } from '@dbos-inc/dbos-sdk';
import { DEFINITION, VERSIONS } from '../onboarding/patient-onboarding.ts';
import { onboardingState, startPatientOnboarding, type StartOnboarding } from '../onboarding/start.ts';
import type { OnboardingState } from '../onboarding/state.ts';
import { versionedName } from '../versioned-name.ts';
import { ENDED_BY_ENGINE } from './onboarding-view.ts';

/** What the graph shows of one onboarding: the engine's record of it and the state it published. */
export interface OnboardingRecord {
  id: string;
  /** The versioned name it runs on (patientOnboarding@v2). */
  definition: string;
  /** The engine's own status (ENQUEUED, PENDING, SUCCESS, ERROR, CANCELLED…). */
  engineStatus: string;
  startedAt: Date;
  /** When the engine last wrote the record: the end, once it ended. */
  updatedAt: Date;
  /** Null until a replica took it from the queue and published its first state. */
  state: OnboardingState | null;
}

/** The onboardings as the workflows subgraph reaches them: in the engine this process launched. */
export interface OnboardingRecords {
  start(request: StartOnboarding, id: string): Promise<void>;
  /** Null for an id no onboarding has (another workflow's id included). */
  read(id: string): Promise<OnboardingRecord | null>;
  /** Of these onboardings, those the engine ended without the workflow's own end (an operator's cancel, a crash loop, an error). */
  endedByEngine(ids: readonly string[]): Promise<Array<{ id: string; engineStatus: string; at: Date }>>;
}

/** The engine of this process (DBOS is one per process): the subgraph runs beside the worker. */
export const engineOnboardingRecords: OnboardingRecords = {
  async start(request, id) {
    // An id already taken answers the onboarding that has it: a retried start makes no second one.
    await startPatientOnboarding(request, id);
  },
  async read(id) {
    const status = await DBOS.getWorkflowStatus(id);
    if (!status?.workflowName.startsWith(`${DEFINITION}@`)) return null;
    return {
      id,
      definition: status.workflowName,
      engineStatus: status.status,
      startedAt: new Date(status.createdAt),
      updatedAt: new Date(status.updatedAt ?? status.createdAt),
      state: await onboardingState(id),
    };
  },
  async endedByEngine(ids) {
    if (ids.length === 0) return [];
    const ended = await DBOS.listWorkflows({
      workflowIDs: [...ids],
      workflowName: VERSIONS.map((version) => versionedName(DEFINITION, version)),
      status: [...ENDED_BY_ENGINE],
      loadInput: false,
      loadOutput: false,
    });
    return ended.map((status) => ({ id: status.workflowID, engineStatus: status.status, at: new Date(status.updatedAt ?? status.createdAt) }));
  },
};
