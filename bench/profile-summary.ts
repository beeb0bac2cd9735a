// The top self-time functions, the files and packages they are in, and the time spent under each
// of this repository's files, of V8 CPU profiles (`node --cpu-prof`):
// `npx tsx bench/profile-summary.ts <file.cpuprofile>... [--top N] [--from-seconds S]`.
// --from-seconds leaves out each profile's first S seconds: the start and warm-up of the process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: its npm package, its file in this repository, Node's own module, or V8's own (GC, program). */
function placeOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (!url) return functionName;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : url;
}

const isRepoFile = (place: string) => /^(gateway|platform|policies|schema|subgraphs)\//.test(place);

function add(totals: Map<string, number>, key: string, micros: number) {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args.splice(index, 2)[1]) : fallback;
};
const top = option('--top', 25);
const fromMicros = option('--from-seconds', 0) * 1e6;
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
/** Inclusive: a sample counts for every repository file on its stack, once. */
const underRepoFile = new Map<string, number>();
let total = 0;
for (const file of args) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id] as const)));
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    const micros = profile.timeDeltas[i] ?? 0;
    elapsed += micros;
    // Idle time is the process waiting for work: leave it out, so shares are of busy time.
    if (elapsed < fromMicros || frame.functionName === '(idle)') return;
    total += micros;
    add(byFunction, frame.url ? `${frame.functionName || '(anonymous)'} ${placeOf(frame)}:${frame.lineNumber + 1}` : frame.functionName, micros);
    add(byPlace, placeOf(frame), micros);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) onStack.add(placeOf(nodes.get(at)!.callFrame));
    for (const place of onStack) if (isRepoFile(place)) add(underRepoFile, place, micros);
  });
}

const print = (title: string, totals: Map<string, number>, column = 'self ms') => {
  console.log(`\n${title}\n| ${column} | % | where |\n| ---: | ---: | --- |`);
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`| ${(micros / 1000).toFixed(0)} | ${((100 * micros) / total).toFixed(1)} | ${key} |`);
  }
};
console.log(`${args.length} profile(s), ${(total / 1000).toFixed(0)} ms busy`);
print('Self time by package or file', byPlace);
print('Self time by function', byFunction);
print('Time under each repository file (its callees included; work resumed from a timer or I/O is not under it)', underRepoFile, 'ms');
