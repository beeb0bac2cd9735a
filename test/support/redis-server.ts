import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { createClient } from 'redis';
import { freePort } from './free-port.ts';

/**
 * A redis-server of the test's own on a free port, without persistence: restarting it is a Redis
 * that comes back empty. Never the shared one. The unit suites and the fault suite both use this one.
 */
export interface OwnRedis {
  url: string;
  /** Stops it; `start()` brings it back, empty. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops and starts it: everything it held is gone. */
  restartEmpty(): Promise<void>;
  close(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;

  async function start() {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // Polled: a loaded machine may take a while to start it.
    for (let tries = 0; !(await answers(url)); tries++) {
      if (tries > 200 || server.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`);
      await delay(50);
    }
  }
  async function stop() {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    start,
    stop,
    async restartEmpty() {
      await stop();
      await start();
    },
    close: stop,
  };
}
