import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';

/** A fresh data directory for this suite, removed when it ends. */
export async function suiteDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'authentication-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function expectUnauthenticated(attempt: Promise<unknown>, reason: string): Promise<void> {
  await expect(attempt).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason } });
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
