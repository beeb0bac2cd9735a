// `npm run bench` (BENCH_SMOKE=1 for the short CI run; see bench/README.md for every setting).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { durableCommitMs } from './durable-commit.ts';
import { benchCallers } from './healthcare/callers.ts';
import { runWorkload } from './rounds.ts';
import { benchSettings } from './settings.ts';
import { startStack, type StackKind } from './stacks.ts';
import { renderTable } from './table.ts';
import type { Target } from './targets.ts';
import { workloads } from './workloads.ts';

/** BENCH_TARGETS: a target's whole name selects it alone; part of a name, every target holding it. */
const selectedTargets = (targets: Target[], names: string[] | undefined) =>
  !names ? targets : targets.filter(({ name }) => names.some((wanted) => name === wanted || (!targets.some((target) => target.name === wanted) && name.includes(wanted))));

const settings = benchSettings();
const workDir = mkdtempSync(join(tmpdir(), 'healthcare-bench-'));
process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
const dataDir = join(workDir, 'data');

console.log(`# Gateway benchmark, ${new Date().toISOString()}`);
console.log(`${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}; ${settings.rounds} round(s) of ${settings.seconds} s per target after ${settings.warmupSeconds} s of warm-up, ${settings.connections} connections, ${settings.callersPerConnection} callers per connection; our audit trail in ${settings.auditDatabaseUrl ? 'PostgreSQL' : 'PGlite inside the gateway process'}; load average at start ${loadavg()[0]!.toFixed(1)}\n`);

const callers = await benchCallers(dataDir, settings.connections * settings.callersPerConnection);
let differ = false;
for (const kind of ['federation', 'healthcare'] satisfies StackKind[]) {
  const selected = workloads.filter((workload) => workload.stack === kind && settings.workloads.includes(workload.key));
  if (!selected.length) continue;
  const stack = await startStack(kind, workDir, dataDir, settings.cpuProfileDir);
  try {
    for (const workload of selected) {
      const targets = selectedTargets(await workload.targets(stack, callers, settings), settings.targets);
      const result = await runWorkload(workload, stack, targets, settings);
      console.log(`## ${workload.title}\n\n${renderTable(result, workload.probeLatency)}\n`);
      if (workload.probeLatency && settings.auditDatabaseUrl) {
        // Our full pipeline's overhead at one request at a time holds one durable commit of the audit trail.
        const commit = await durableCommitMs(settings.auditDatabaseUrl);
        console.log(`One durable commit on the audit trail's PostgreSQL, one at a time, measured after the rounds: p50 ${commit.p50.toFixed(2)} ms, p90 ${commit.p90.toFixed(2)} ms.`);
      }
      console.log(`Responses checked: ${result.checkedRequests} requests per target (${result.referenceErrors} reference responses carry errors).`);
      for (const [target, difference] of result.differences) console.log(`- ${target.name} differs: ${difference}`);
      console.log('');
      differ ||= result.differences.size > 0;
    }
  } finally {
    await stack.stop();
  }
}
// Differing responses make the figures incomparable: the run fails.
if (differ) process.exitCode = 1;
