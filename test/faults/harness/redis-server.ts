import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from './free-port.ts';

/** A redis-server of the suite's own on a free port, without persistence: a restart comes back empty. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGKILL when `crash`). */
  stop(crash?: boolean): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

const answersPing = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  async function start() {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let waited = 0; !(await answersPing(port)); waited += 50) {
      if (waited > 20_000 || server.exitCode !== null) throw new Error(`redis-server did not start on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  async function stop(crash = false) {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = once(server, 'exit');
    server.kill(crash ? 'SIGKILL' : 'SIGTERM');
    await exited;
  }
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop };
}
