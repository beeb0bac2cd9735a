// Issue 12, finding 5: SIGTERM to `npm start` left the services running without a parent (they
// answered 320 more requests): npm signalled its shell, which died without passing it on. Here
// `npm start` is sent SIGTERM once the graph is ready: npm must wait for the services to close, and
// no process it started may be left.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { settingNameOf } from '../../platform/config.ts';
import { subgraphCatalog } from '../../schema/catalog.ts';
import { report } from './harness/checks.ts';

const run = promisify(execFile);
/** PORT=0 frees the gateway's port only: the subgraphs too, or anything on 4001–4007 fails the start. */
const anyFreeSubgraphPorts = Object.fromEntries(subgraphCatalog.map(({ name }) => [`SUBGRAPH_${settingNameOf(name)}_PORT`, '0']));

/** Every process below `pid`, from ps. */
async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/**
 * Whether `pid` still runs. A zombie does not: it has exited and waits for its parent to reap it. tsx's
 * esbuild helpers exit once the launcher is gone and are handed to PID 1, which in some containers (this machine's
 * among them) never reaps them, so kill(pid, 0) alone would count them as left running.
 */
const alive = (pid: number) => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // pid (comm) state ...: comm may hold spaces and parentheses, the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
};

describe('npm start and SIGTERM', () => {
  let dataDir: string;
  let left: number[] = [];
  afterAll(async () => {
    for (const pid of left.filter(alive)) process.kill(pid, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('closes every service and leaves no process behind', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'faults-npm-start-'));
    const npm = spawn('npm', ['start'], { env: { ...process.env, PORT: '0', ...anyFreeSubgraphPorts, SEED_DEMO_DATA: 'false', DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(npm, 'exit');
    let gatewayUrl = '';
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: npm.stdout! }).on('line', (line) => {
        const ready = /Healthcare graph ready: (\S+)/.exec(line);
        if (ready) {
          gatewayUrl = ready[1]!;
          resolve();
        }
      });
      exited.then(() => reject(new Error('npm start exited before it was ready')), reject);
    });
    const started = await descendants(npm.pid!);
    expect(started.length).toBeGreaterThan(0);
    const signalledAt = performance.now();
    npm.kill('SIGTERM');
    const [code, signal] = await exited;
    const closedAfter = performance.now() - signalledAt;
    left = started.filter(alive);
    const refused = await fetch(gatewayUrl, { signal: AbortSignal.timeout(2_000) }).then(() => false, () => true);
    report('SIGTERM to npm start', { exit: code ?? signal, closedAfterMs: Math.round(closedAfter), processesStarted: started.length, left: left.length });
    expect(left).toEqual([]);
    expect(refused).toBe(true);
  });
});
