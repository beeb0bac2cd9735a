import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CompactSign, compactVerify, createLocalJWKSet, decodeProtectedHeader, type CryptoKey, type JSONWebKeySet } from 'jose';
import type { Logger } from '../logger.ts';
import type { ChainTail } from './audit-store.ts';

/**
 * The chain's end, anchored outside the audit table: after each commit, the gateway signs the
 * trail's last seq and hash with its own key (the one subgraphs verify its internal tokens with)
 * and keeps the statement in a file of its own. Whoever can rewrite the audit table cannot move
 * this back without the gateway's private key, so `audit:verify` sees deleted tail rows and a
 * rewound head: the trail must hold the anchored row, with the anchored hash.
 */
export interface Checkpoint {
  /** Which trail: its schema. */
  trail: string;
  seq: number;
  hash: string;
  /** When the gateway signed it, ISO 8601. */
  at: string;
}

export interface AnchorKey {
  kid: string;
  privateKey: CryptoKey;
}

const TYPE = 'audit-checkpoint+jws';
const ALGORITHM = 'EdDSA';

/** The anchor file of a trail in `dir`. */
export const anchorFile = (dir: string, trail: string) => join(dir, `${trail}.jws`);

const payloadOf = (jws: string): Checkpoint => JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Checkpoint;

async function readJws(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * How often the anchor file is rewritten while records are committed. The keeper signs the tail the
 * writer committed, not what the table says, so rows cut meanwhile are still caught by the next
 * checkpoint; only a gateway killed within this window leaves its last records unanchored (the
 * verifier still checks the chain up to the checkpoint). Signing and renaming a file per commit
 * cost a tenth of the gateway's CPU under load.
 */
export const ANCHOR_INTERVAL_MS = 1_000;

/**
 * Keeps the trail's anchor file current, off the request path: the newest tail wins, at most one
 * write is in flight, and writes are at least `intervalMs` apart. A file already anchoring a later
 * seq (another gateway replica sharing the directory) is left as it is, so the anchor never moves back.
 */
export function anchorKeeper(file: string, trail: string, key: AnchorKey, logger: Logger, intervalMs = ANCHOR_INTERVAL_MS) {
  let latest: ChainTail | undefined;
  let writing: Promise<void> | undefined;
  let next: NodeJS.Timeout | undefined;
  let lastWriteAt = 0;

  async function write(tail: ChainTail): Promise<void> {
    const current = await readJws(file);
    if (current && payloadOf(current).seq >= tail.seq) return;
    const checkpoint: Checkpoint = { trail, seq: tail.seq, hash: tail.hash, at: new Date().toISOString() };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(checkpoint)))
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: TYPE })
      .sign(key.privateKey);
    await mkdir(dirname(file), { recursive: true });
    const aside = `${file}.${randomUUID()}.tmp`;
    await writeFile(aside, jws);
    await rename(aside, file);
  }

  async function writeLatest(): Promise<void> {
    const tail = latest!;
    latest = undefined;
    lastWriteAt = Date.now();
    await write(tail).catch((error: unknown) => logger.error({ err: { name: (error as Error).name, code: (error as { code?: unknown }).code } }, 'audit anchor not written'));
  }

  function writeNow(): void {
    clearTimeout(next);
    next = undefined;
    if (!latest || writing) return;
    writing = writeLatest().finally(() => {
      writing = undefined;
      if (latest) schedule();
    });
  }

  function schedule(): void {
    if (next || writing) return;
    next = setTimeout(writeNow, Math.max(0, lastWriteAt + intervalMs - Date.now()));
    next.unref();
  }

  return {
    /** The trail's new end, committed. */
    committed(tail: ChainTail): void {
      if (!latest || tail.seq > latest.seq) latest = tail;
      schedule();
    },
    /** Writes the newest tail now, and resolves when it is anchored: before the gateway stops. */
    async settled(): Promise<void> {
      while (writing || latest) {
        writeNow();
        await writing;
      }
    },
  };
}

export type AnchorKeeper = ReturnType<typeof anchorKeeper>;

/**
 * The trail's checkpoint, verified against the gateway's public keys; undefined when the trail
 * has none yet. A file that is not the gateway's signature, or names another trail, throws.
 */
export async function readAnchor(file: string, trail: string, publicKeys: JSONWebKeySet): Promise<Checkpoint | undefined> {
  const jws = await readJws(file);
  if (!jws) return undefined;
  if (decodeProtectedHeader(jws).typ !== TYPE) throw new Error(`${file} is not an audit checkpoint`);
  let checkpoint: Checkpoint;
  try {
    const { payload } = await compactVerify(jws, createLocalJWKSet(publicKeys), { algorithms: [ALGORITHM] });
    checkpoint = JSON.parse(new TextDecoder().decode(payload)) as Checkpoint;
  } catch {
    throw new Error(`${file} is not signed by the gateway's key`);
  }
  if (checkpoint.trail !== trail) throw new Error(`${file} anchors the trail ${checkpoint.trail}, not ${trail}`);
  return checkpoint;
}
