import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const exitWithParent = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));
const running = new Set<ChildProcess>();

// Whatever way the runner ends, its children end with it (the preload covers SIGKILL of the runner).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

export interface SpawnOptions {
  /** The TypeScript entry point, relative to the repository root. */
  entry: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Node flags before the entry (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export interface Spawned {
  pid: number;
  child: ChildProcess;
  /** The last lines the process wrote to stderr, to say why it failed. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point as its own Node process (`node --import tsx`, not the tsx CLI, so
 * the pid measured is the process doing the work). stdout is discarded: services log a line per
 * request, and a full pipe would stall them.
 */
export function spawnNode({ entry, args = [], env = {}, nodeFlags = [] }: SpawnOptions): Spawned {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', '--import', exitWithParent, entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${entry}`);
  running.add(child);
  const exited = once(child, 'exit').finally(() => running.delete(child));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return {
    pid: child.pid,
    child,
    stderrTail: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The first IPC message of a spawned process; rejects when it exits first or takes too long. */
export function firstMessage<T>(spawned: Spawned, timeoutMs = 120_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no ready message after ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => fail(new Error(`exited with ${code} before it was ready`));
    const fail = (error: Error) => {
      clearTimeout(timer);
      spawned.child.off('exit', onExit);
      reject(new Error(`${error.message}\n${spawned.stderrTail()}`));
    };
    spawned.child.once('exit', onExit);
    spawned.child.once('message', (message) => {
      clearTimeout(timer);
      spawned.child.off('exit', onExit);
      resolve(message as T);
    });
  });
}
