import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface GatewayProcess {
  process: ChildProcess;
  url: string;
}

/**
 * `gateway/main.ts` as its own process on a free port; resolves with its URL once it logs that it
 * is ready (it logs at info level for that). Its log is read to the end, so a busy gateway never
 * blocks on a full pipe.
 */
export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`gateway exited with ${code}`)));
  const ready = new Promise<string>((resolve, reject) => {
    void (async () => {
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line.includes('"gateway ready"')) resolve((JSON.parse(line) as { url: string }).url);
      }
      reject(new Error('gateway closed its output before it was ready'));
    })();
  });
  return { process: child, url: await Promise.race([ready, exited]) };
}
