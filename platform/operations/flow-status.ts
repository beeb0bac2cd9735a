import type { BatchFlow, Flow, FlowId, RealTimeFlow } from '../../policies/flows.ts';

export type FlowRunOutcome = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** A flow against its objective, as `FlowStatus` in the graph. */
export interface FlowStatus {
  id: FlowId;
  description: string;
  kind: Flow['kind'];
  objective: string;
  met: boolean;
  detail: string | null;
  objectiveSeconds?: number;
  waiting?: number;
  oldestWaitingSeconds?: number;
  lastRunAt?: Date | null;
  lastRunOutcome?: FlowRunOutcome | null;
  nextRunAt?: Date;
}

/** What waits in a real-time flow now. */
export interface Backlog {
  waiting: number;
  /** When the oldest waiting item's cause happened; absent when nothing waits. */
  oldestSince?: Date;
  /** Items given up on (dead letters): the flow failed them whatever their age. */
  givenUp?: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function realTimeStatus(flow: RealTimeFlow & { id: FlowId }, { waiting, oldestSince, givenUp = 0 }: Backlog, now: Date): FlowStatus {
  const oldestWaitingSeconds = oldestSince ? Math.max(0, seconds(now.getTime() - oldestSince.getTime())) : 0;
  const late = oldestWaitingSeconds > flow.objectiveSeconds;
  const detail = [
    late && `the oldest of ${waiting} waiting has waited ${Math.round(oldestWaitingSeconds)} s`,
    givenUp > 0 && `${givenUp} given up after retries (dead letters)`,
  ].filter(Boolean);
  return {
    id: flow.id,
    description: flow.description,
    kind: flow.kind,
    objective: `within ${flow.objectiveSeconds} s`,
    met: detail.length === 0,
    detail: detail.length ? detail.join('; ') : null,
    objectiveSeconds: flow.objectiveSeconds,
    waiting,
    oldestWaitingSeconds,
  };
}

/** The last run of a batch flow, as its owner keeps it. */
export interface LastRun {
  /** The slot it ran for, or when an on-demand run started. */
  at: Date;
  outcome: FlowRunOutcome;
}

export interface BatchSchedule {
  /** The slot due last (at or before now) and the next one. */
  previousSlot: Date;
  nextSlot: Date;
  timeZone: string;
  dailyAt: string;
}

/**
 * Met when a run succeeded for the slot due last (or an on-demand run since), or the slot is not
 * past its grace yet and the run before it succeeded.
 */
export function batchStatus(flow: BatchFlow & { id: FlowId }, schedule: BatchSchedule, lastSucceeded: LastRun | undefined, lastRun: LastRun | undefined, now: Date): FlowStatus {
  const graceEnds = schedule.previousSlot.getTime() + flow.graceMinutes * 60_000;
  const coveredFrom = now.getTime() <= graceEnds ? schedule.previousSlot.getTime() - 24 * 3_600_000 : schedule.previousSlot.getTime();
  const met = lastSucceeded !== undefined && lastSucceeded.at.getTime() >= coveredFrom;
  return {
    id: flow.id,
    description: flow.description,
    kind: flow.kind,
    objective: `daily at ${schedule.dailyAt} (${schedule.timeZone})`,
    met,
    detail: met ? null : lastRun?.outcome === 'FAILED' ? 'the last run failed' : `no successful run for the slot of ${schedule.previousSlot.toISOString()}`,
    lastRunAt: lastRun?.at ?? null,
    lastRunOutcome: lastRun?.outcome ?? null,
    nextRunAt: schedule.nextSlot,
  };
}
