// The top self-time functions, and the files and packages they are in, of V8 CPU profiles
// (`node --cpu-prof`): `npx tsx bench/profile-summary.ts <file.cpuprofile>... [--top N]`.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: its npm package, its file in this repository, Node's internals, or V8's own (GC, program). */
function placeOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (!url) return functionName;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  const inRepo = /\/work\/[^/]+\/(.+)$/.exec(url.replace(/^file:\/\//, ''));
  if (inRepo) return inRepo[1]!;
  return url.startsWith('node:') ? 'node internals' : url;
}

function add(totals: Map<string, number>, key: string, micros: number) {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
let total = 0;
for (const file of args) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    // Idle time is the process waiting for work: leave it out, so shares are of busy time.
    if (frame.functionName === '(idle)') return;
    const micros = profile.timeDeltas[i] ?? 0;
    total += micros;
    add(byFunction, `${frame.functionName || '(anonymous)'} ${placeOf(frame)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`, micros);
    add(byPlace, placeOf(frame), micros);
  });
}

const print = (title: string, totals: Map<string, number>) => {
  console.log(`\n${title}\n| self ms | % | where |\n| ---: | ---: | --- |`);
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${(micros / 1000).toFixed(0)} | ${((100 * micros) / total).toFixed(1)} | ${key} |`);
  }
};
console.log(`${args.length} profile(s), ${(total / 1000).toFixed(0)} ms busy`);
print('Self time by package or file', byPlace);
print('Self time by function', byFunction);
