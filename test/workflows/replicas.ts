import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

const projectRoot = new URL('../../', import.meta.url);

/** A workflows replica in a child process, and the steps it ran (from its debug log, one line per step run). */
export interface Replica {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

export interface StepRun {
  replica: string;
  workflowId: string;
  step: string;
}

/** A workflow a replica ran to its end (its "onboarding finished" line). */
export interface FinishedRun {
  replica: string;
  workflowId: string;
  status: string;
}

export function startReplica(name: string, env: Record<string, string>, runs: StepRun[], finishes: FinishedRun[] = []): Replica {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/workflows/worker-process.ts'], {
    cwd: projectRoot,
    env: { ...process.env, VITEST: '', NODE_ENV: 'production', LOG_LEVEL: 'debug', WORKFLOWS_EXECUTOR_ID: name, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let markReady: () => void;
  let failed: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failed = reject)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: { msg?: string; workflowId?: string; step?: string; status?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg === 'worker ready') markReady();
    if (entry.msg === 'step run' && entry.workflowId && entry.step) runs.push({ replica: name, workflowId: entry.workflowId, step: entry.step });
    if (entry.msg === 'onboarding finished' && entry.workflowId && entry.status) finishes.push({ replica: name, workflowId: entry.workflowId, status: entry.status });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then((code) => failed(new Error(`replica ${name} exited (${code}) before it was ready`)));
  return { child, ready, exited };
}

/**
 * Between the replicas and the gateway: passes every call through, except that the first call of
 * an operation named in `holdOnce` reaches the gateway (its effect happens) and its answer is
 * held, never sent: the step is cut in the middle, after its effect, when the replica is killed.
 */
export interface HoldingProxy {
  url: string;
  /** Resolves when a call of `operation` has been answered by the gateway and held. */
  held(operation: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHoldingProxy(gatewayUrl: string, holdOnce: string[]): Promise<HoldingProxy> {
  const target = new URL(gatewayUrl);
  const pending = new Set(holdOnce);
  const heldSignals = new Map(holdOnce.map((operation) => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return [operation, { promise, resolve }] as const;
  }));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = [...pending].find((name) => body.toString().includes(`${name}(`));
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...req.headers, host: target.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            if (operation) {
              pending.delete(operation);
              heldSignals.get(operation)!.resolve();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
            res.end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    held: (operation) => heldSignals.get(operation)!.promise,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** How many times each step ran for each workflow. */
export function runCounts(runs: readonly StepRun[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { workflowId, step } of runs) counts.set(`${workflowId} ${step}`, (counts.get(`${workflowId} ${step}`) ?? 0) + 1);
  return counts;
}

/** Steps that look again and again while waiting: they run many times by design. */
export const isLook = (step: string) => step.endsWith('.look') || step === 'lookForConsent';
