import { drive, type LoadResult } from './load/drive.ts';
import { cpuMs, peakRssMiB } from './process/proc-stats.ts';
import type { BenchSettings } from './settings.ts';
import type { RunningTarget, Target } from './targets.ts';

export interface RoundResult {
  load: LoadResult;
  /** CPU time of the target's process during the measured window. */
  cpuMs?: number;
  peakRssMiB?: number;
  /** Median latency of one request at a time (workload c): the target's own time, no queueing. */
  probeMs?: number;
}

/** One measured round on a started target: load with CPU sampled around the window, then the probe. */
export async function measureRound(target: Target, running: RunningTarget, settings: BenchSettings, probe: boolean): Promise<RoundResult> {
  const { pid } = running;
  let cpuBefore = 0;
  const load = await drive(running.url, {
    connections: settings.connections,
    warmupSeconds: settings.warmupSeconds,
    seconds: settings.seconds,
    requestsOf: target.requestsOf,
    onMeasureStart: () => {
      if (pid !== undefined) cpuBefore = cpuMs(pid);
    },
  });
  const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
  const probeLoad = { connections: 1, warmupSeconds: 0, seconds: settings.probeSeconds, requestsOf: () => target.requestsOf(0) };
  return {
    load,
    cpuMs: cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    peakRssMiB: pid === undefined ? undefined : peakRssMiB(pid),
    probeMs: probe ? (await drive(running.url, probeLoad)).p50Ms : undefined,
  };
}
