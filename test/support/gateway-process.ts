import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  process: ChildProcess;
  /** The GraphQL endpoint the service reported once ready (it listens on a port the OS chose). */
  url: string;
}

/**
 * A service's main file (`gateway/main.ts`, `subgraphs/patients/main.ts`) as its own process on a
 * free port; resolves with its URL once it logs, as one whole JSON line, `readyMessage` (it logs at
 * info level for that). Its log is read to the end, so a busy service never blocks on a full pipe.
 */
export async function spawnService(script: string, env: Record<string, string>, readyMessage: string, args: string[] = []): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`${script} exited with ${code}`)));
  const ready = new Promise<string>((resolve, reject) => {
    void (async () => {
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line.startsWith('{') && (JSON.parse(line) as { msg?: string }).msg === readyMessage) resolve((JSON.parse(line) as { url: string }).url);
      }
      reject(new Error(`${script} closed its output before it was ready`));
    })();
  });
  return { process: child, url: await Promise.race([ready, exited]) };
}

/** `gateway/main.ts` as its own process on a free port; `args`: its command line (a supergraph file). */
export const spawnGateway = (env: Record<string, string>, args: string[] = []): Promise<ServiceProcess> => spawnService('gateway/main.ts', { ...env, PORT: '0' }, 'gateway ready', args);

export type GatewayProcess = ServiceProcess;
