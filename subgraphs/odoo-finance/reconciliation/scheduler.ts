import { pause } from '../../../platform/events/backoff.ts';
import { runLoop, type RunningLoop } from '../../../platform/events/loop.ts';
import type { Logger } from '../../../platform/logger.ts';
import { slotsAround, type DailySchedule } from '../../../platform/operations/daily-schedule.ts';
import type { ReconciliationRun } from './run-store.ts';

/** Looked at again at least this often, so a clock that moved or a slot another replica left is seen. */
const CHECK_EVERY_MS = 60_000;

export interface ReconciliationScheduler {
  /**
   * Runs the slot due last if no replica has run it (a service that was down at 02:00 catches up
   * when it starts); resolves with the run it made, or undefined.
   */
  tick(): Promise<ReconciliationRun | undefined>;
  /** Ticks at each slot (and every minute) until closed. */
  start(logger: Logger): RunningLoop;
}

export interface SchedulerSettings {
  schedule: DailySchedule;
  /** Runs the slot, recorded under it; undefined when another replica has it. */
  runSlot: (slot: Date) => Promise<ReconciliationRun | undefined>;
  /** Whether a slot already has a run (any outcome). */
  slotTaken: (slot: Date) => Promise<boolean>;
  now?: () => Date;
}

/** The reconciliation flow's schedule, run by every replica of odoo-finance and taken by one per slot (the run's record is keyed by the slot). */
export function reconciliationScheduler({ schedule, runSlot, slotTaken, now = () => new Date() }: SchedulerSettings): ReconciliationScheduler {
  async function tick(): Promise<ReconciliationRun | undefined> {
    const { previous } = slotsAround(now(), schedule);
    if (await slotTaken(previous)) return undefined;
    return runSlot(previous);
  }
  return {
    tick,
    start(logger) {
      return runLoop('reconciliation schedule', logger, { initialMs: 1_000, maxMs: CHECK_EVERY_MS }, async (signal) => {
        const run = await tick();
        if (run) logger.info({ runId: run.id, slot: run.slot, outcome: run.outcome, mismatches: run.mismatches, errorCode: run.errorCode }, 'scheduled reconciliation ran');
        const untilNext = slotsAround(now(), schedule).next.getTime() - now().getTime();
        await pause(Math.max(0, Math.min(untilNext, CHECK_EVERY_MS)), signal);
      });
    },
  };
}
