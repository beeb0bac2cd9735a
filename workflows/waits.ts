import { DBOS } from '@dbos-inc/dbos-sdk';

/**
 * What a workflow can wait on that an event announces: a patient's consent (keyed by patient id)
 * or a front-office task's completion (keyed by Odoo activity id).
 */
export type WaitKind = 'consent' | 'task';

/** The message topic the waiting workflow receives on (its DBOS.recv). */
export const wakeTopic = (kind: WaitKind, key: string) => (kind === 'consent' ? 'consent' : `task:${key}`);

/**
 * The index of who waits on what is kept by the engine itself, so it is durable and shared by
 * every replica with no table of ours: a wait is recorded as a finished workflow whose id is made
 * of the wait's key and whose result is the waiting workflow's id.
 */
const registrationId = (kind: WaitKind, key: string) => `wait:${kind}:${key}`;

export const WAIT_REGISTRATION = 'waitRegistration';

/** The registration itself: it only answers who waits. */
export const waitRegistration = async (waitingWorkflowId: string): Promise<string> => waitingWorkflowId;

let registered: ((waitingWorkflowId: string) => Promise<string>) | undefined;

/** Registers the registration's definition with the engine; before launch. */
export function registerWaitDefinition(): void {
  registered = DBOS.registerWorkflow(waitRegistration, { name: WAIT_REGISTRATION });
}

/**
 * Inside a workflow, before it first looks for what it waits on: an event announced from then on
 * finds it (one announced before, its first look sees).
 */
export async function registerWait(kind: WaitKind, key: string): Promise<void> {
  const handle = await DBOS.startWorkflow(registered!, { workflowID: registrationId(kind, key) })(DBOS.workflowID!);
  await handle.getResult();
}

const stillRunning = new Set(['PENDING', 'ENQUEUED', 'DELAYED']);

/**
 * Wakes the workflow waiting on `kind`/`key`, if one is still running; `eventId` makes a
 * redelivered event's message the same one. Answers the woken workflow's id.
 */
export async function wakeWaiting(kind: WaitKind, key: string, eventId: string): Promise<string | undefined> {
  const registration = await DBOS.getWorkflowStatus(registrationId(kind, key));
  if (registration?.status !== 'SUCCESS') return undefined;
  const waiting = await DBOS.retrieveWorkflow<string>(registration.workflowID).getResult();
  return wakeWorkflow(waiting, wakeTopic(kind, key), eventId);
}

/** Sends a wake-up to a workflow still running (a finished one has nothing to wake). */
export async function wakeWorkflow(workflowId: string, topic: string, eventId: string): Promise<string | undefined> {
  const waiting = await DBOS.getWorkflowStatus(workflowId);
  if (!waiting || !stillRunning.has(waiting.status)) return undefined;
  await DBOS.send(workflowId, eventId, topic, `wake:${workflowId}:${eventId}`);
  return workflowId;
}
