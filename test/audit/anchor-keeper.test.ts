import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorFile, anchorKeeper, readAnchor } from '../../platform/audit/anchor.ts';
import { createLogger } from '../../platform/logger.ts';

describe('the audit anchor keeper', () => {
  let dir: string;
  let privateKey: CryptoKey;
  let publicJwk: JWK;
  const trail = 'audit_anchor_test';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anchor-'));
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const read = (file: string) => readAnchor(file, trail, { keys: [publicJwk] });

  it('anchors the first commit at once, then at most once per interval, and the newest tail when the gateway stops', async () => {
    const file = anchorFile(dir, trail);
    // An interval no test run reaches: every write after the first is the one settled() forces.
    const keeper = anchorKeeper(file, trail, { kid: 'k1', privateKey }, createLogger('test'), 3_600_000);
    keeper.committed({ seq: 1, hash: 'a'.repeat(64) });
    await expect.poll(() => read(file).then((anchor) => anchor?.seq), { timeout: 10_000 }).toBe(1);
    for (let seq = 2; seq <= 100; seq += 1) keeper.committed({ seq, hash: seq.toString(16).padStart(64, '0') });
    // Within the interval the file stays where it was.
    expect((await read(file))?.seq).toBe(1);
    await keeper.settled();
    expect(await read(file)).toMatchObject({ trail, seq: 100, hash: (100).toString(16).padStart(64, '0') });
  });

  it('never moves an anchor back that another replica moved further', async () => {
    const file = anchorFile(dir, `${trail}_shared`);
    const ahead = anchorKeeper(file, `${trail}_shared`, { kid: 'k1', privateKey }, createLogger('test'));
    const behind = anchorKeeper(file, `${trail}_shared`, { kid: 'k1', privateKey }, createLogger('test'));
    ahead.committed({ seq: 50, hash: 'b'.repeat(64) });
    await ahead.settled();
    behind.committed({ seq: 40, hash: 'c'.repeat(64) });
    await behind.settled();
    expect(await readAnchor(file, `${trail}_shared`, { keys: [publicJwk] })).toMatchObject({ seq: 50, hash: 'b'.repeat(64) });
  });
});
