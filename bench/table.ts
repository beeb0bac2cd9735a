import { errorCount } from './load/drive.ts';
import type { RoundResult } from './measure.ts';
import type { WorkloadResult } from './rounds.ts';
import type { Target } from './targets.ts';

interface Summary {
  target: Target;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
  responses: number;
  peakRssMiB?: number;
  cpuMsPerRequest?: number;
  subgraphsCpuMsPerRequest: number;
  probeMs?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const sumOf = (counts: Array<Record<string, number>>) =>
  counts.reduce<Record<string, number>>((sum, each) => {
    for (const [kind, count] of Object.entries(each)) sum[kind] = (sum[kind] ?? 0) + count;
    return sum;
  }, {});

/** `timeout 3, HTTP 429 2` */
export const describeErrors = (errors: Record<string, number>) =>
  Object.entries(errors).map(([kind, count]) => `${kind} ${count}`).join(', ');

const defined = (values: Array<number | undefined>) => values.filter((value): value is number => value !== undefined);

/** Medians over rounds for rate and latency, sums for errors, the peak for memory, CPU per response over all rounds. */
function summarise(target: Target, rounds: RoundResult[]): Summary {
  const responses = rounds.reduce((sum, { load }) => sum + load.responses, 0);
  const cpu = defined(rounds.map((round) => round.cpuMs));
  const rss = defined(rounds.map((round) => round.peakRssMiB));
  const probes = defined(rounds.map((round) => round.probeMs));
  return {
    target,
    requestsPerSecond: median(rounds.map(({ load }) => load.responses / load.seconds)),
    p50Ms: median(rounds.map(({ load }) => load.p50Ms)),
    p99Ms: median(rounds.map(({ load }) => load.p99Ms)),
    errors: sumOf(rounds.map(({ load }) => load.errors)),
    responses,
    peakRssMiB: rss.length ? Math.max(...rss) : undefined,
    cpuMsPerRequest: cpu.length ? cpu.reduce((a, b) => a + b, 0) / responses : undefined,
    subgraphsCpuMsPerRequest: rounds.reduce((sum, round) => sum + round.subgraphsCpuMs, 0) / responses,
    probeMs: probes.length ? median(probes) : undefined,
  };
}

/** A figure with its ratio to the reference's: `61.3 (1.02×)`. */
function withRatio(value: number | undefined, reference: number | undefined, digits: number): string {
  if (value === undefined) return '—';
  const ratio = reference ? ` (${(value / reference).toFixed(2)}×)` : '';
  return `${value.toFixed(digits)}${ratio}`;
}

/**
 * The workload's table in Markdown, every figure with its ratio to the first target's (bare
 * @apollo/gateway), and below it the kinds of the errors counted.
 */
export function renderTable(result: WorkloadResult, probeLatency: boolean): string {
  const summaries = [...result.rounds].map(([target, rounds]) => summarise(target, rounds));
  const reference = summaries[0]!;
  const direct = summaries.find(({ target }) => target.kind === 'direct');
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'peak RSS MiB', 'CPU ms/req', 'subgraphs CPU ms/req', 'subgraph requests/op'];
  if (probeLatency) header.push('p50 ms, 1 conn', 'overhead ms');
  header.push('responses');
  const rows = summaries.map((summary) => {
    const cells = [
      summary.target.name,
      withRatio(summary.requestsPerSecond, reference.requestsPerSecond, 1),
      withRatio(summary.p50Ms, reference.p50Ms, 1),
      withRatio(summary.p99Ms, reference.p99Ms, 1),
      `${errorCount(summary.errors)} / ${summary.responses}`,
      withRatio(summary.peakRssMiB, reference.peakRssMiB, 0),
      withRatio(summary.cpuMsPerRequest, reference.cpuMsPerRequest, 2),
      withRatio(summary.subgraphsCpuMsPerRequest, reference.subgraphsCpuMsPerRequest, 2),
      result.subgraphRequestsPerOperation.get(summary.target)?.toFixed(2) ?? '—',
    ];
    if (probeLatency) {
      const overhead = summary.probeMs !== undefined && direct?.probeMs !== undefined && summary !== direct ? summary.probeMs - direct.probeMs : undefined;
      cells.push(withRatio(summary.probeMs, reference.probeMs, 2), overhead === undefined ? '—' : overhead.toFixed(2));
    }
    cells.push(result.differences.has(summary.target) ? 'DIFFER' : 'identical');
    return cells;
  });
  const table = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const errorLines = summaries.filter(({ errors }) => errorCount(errors) > 0).map(({ target, errors }) => `- errors of ${target.name}: ${describeErrors(errors)}`);
  return [...table, ...(errorLines.length ? ['', ...errorLines] : [])].join('\n');
}
