import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { openRedis } from '../../platform/redis.ts';
import { redisUrl } from '../events/event-logs.ts';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openRedis', () => {
  const logger = createLogger('redis-test');

  it('hands out a connected client', async () => {
    const client = await openRedis(redisUrl, 'test-open', logger);
    expect(await client.ping()).toBe('PONG');
    client.destroy();
  });

  it('refuses to start on a Redis that does not answer, without naming its address or password', async () => {
    const started = Date.now();
    const refused = openRedis(`redis://:secret@127.0.0.1:${await closedPort()}`, 'test-down', logger, 100);
    await expect(refused).rejects.toThrow('Redis did not answer within 500 ms (REDIS_URL)');
    await expect(refused).rejects.not.toThrow(/secret|127\.0\.0\.1/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
