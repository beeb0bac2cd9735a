import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpService } from '../../platform/http/server.ts';
import { createLogger } from '../../platform/logger.ts';

/** A port another process holds: what an operator meets when a second `npm start` runs beside the first. */
async function takenPort(): Promise<{ port: number; holder: Server }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  return { port: (holder.address() as { port: number }).port, holder };
}

describe('a service whose port is taken', () => {
  let holder: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve())));

  it('fails to start naming itself, the address, why, and the setting that moves it', async () => {
    const taken = await takenPort();
    holder = taken.holder;
    const start = startHttpService({ name: 'billing', port: taken.port, portSetting: 'SUBGRAPH_BILLING_PORT', logger: createLogger('billing'), checks: [], routes: {} });
    await expect(start).rejects.toThrow(
      `the billing service cannot listen on 127.0.0.1:${taken.port}: another process holds that port (a second npm start?); stop it, or choose another port with SUBGRAPH_BILLING_PORT`,
    );
  });
});
