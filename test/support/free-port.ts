import { createServer } from 'node:net';

/** A port nothing listens on now, from the OS; for servers (PostgreSQL, Redis, a child process) that cannot be told to pick one and report it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
