import { drive, type LoadResult } from './load/drive.ts';
import { cpuMs, peakRssMiB } from './process/proc-stats.ts';
import type { BenchSettings } from './settings.ts';
import type { RunningTarget, Target } from './targets.ts';

export interface RoundResult {
  load: LoadResult;
  /** CPU time of the target's process during the measured window. */
  cpuMs?: number;
  /** CPU time of the subgraphs' process during the same window: what the target's plans cost them. */
  subgraphsCpuMs: number;
  peakRssMiB?: number;
  /** Median latency of one request at a time (workload c): the target's own time, no queueing. */
  probeMs?: number;
}

/** One measured round on a started target: load with CPU sampled around the window, then the probe. */
export async function measureRound(target: Target, running: RunningTarget, subgraphsPid: number, settings: BenchSettings, probe: boolean): Promise<RoundResult> {
  const { pid } = running;
  let cpuBefore = 0;
  let subgraphsCpuBefore = 0;
  const load = await drive(running.url, {
    connections: settings.connections,
    warmupSeconds: settings.warmupSeconds,
    seconds: settings.seconds,
    requestsOf: target.requestsOf,
    onMeasureStart: () => {
      if (pid !== undefined) cpuBefore = cpuMs(pid);
      subgraphsCpuBefore = cpuMs(subgraphsPid);
    },
  });
  const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
  const subgraphsCpuMs = cpuMs(subgraphsPid) - subgraphsCpuBefore;
  const probeLoad = { connections: 1, warmupSeconds: 0, seconds: settings.probeSeconds, requestsOf: () => target.requestsOf(0) };
  return {
    load,
    cpuMs: cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    subgraphsCpuMs,
    peakRssMiB: pid === undefined ? undefined : peakRssMiB(pid),
    probeMs: probe ? (await drive(running.url, probeLoad)).p50Ms : undefined,
  };
}
