// Issue 12, finding 5: SIGTERM to a service exited in 0.3 s and cut the requests in flight (5 of 5
// delayed requests got an empty reply). Every service runs on the same HTTP shell and signal handling:
// here a service of that shell with slow requests is sent SIGTERM while 5 are in flight.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const SLOW_MS = 1_500;

describe('graceful shutdown', () => {
  it('answers the 5 requests in flight at SIGTERM, accepts no new one, and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/platform/fixtures/slow-service.ts'], {
      env: { ...process.env, SLOW_MS: String(SLOW_MS), SHUTDOWN_DRAIN_MS: '20000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    let inFlight = 0;
    let url = '';
    const ready = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as { msg: string; url?: string; inFlight?: number };
        if (message.msg === 'slow ready') {
          url = message.url!;
          resolve();
        }
        if (message.msg === 'in flight') inFlight = message.inFlight!;
      });
    });
    await ready;
    const answers = Array.from({ length: 5 }, () =>
      fetch(`${url}/slow`).then(
        async (response) => `${response.status} ${await response.text()}`,
        (error: Error) => `failed: ${error.message}`,
      ),
    );
    await expect.poll(() => inFlight, { timeout: 20_000, interval: 10 }).toBe(5);
    child.kill('SIGTERM');
    // Accepting stops at once; the 5 in flight are still answered.
    await expect.poll(() => fetch(`${url}/slow`).then(() => 'accepted', () => 'refused'), { timeout: 5_000, interval: 20 }).toBe('refused');
    expect(await Promise.all(answers)).toEqual(Array(5).fill('200 answered'));
    const [code] = await exited;
    expect(code).toBe(0);
  }, 60_000);
});
