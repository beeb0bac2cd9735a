import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export type SigningAlgorithm = 'ES256' | 'EdDSA';

export interface SigningKey {
  alg: SigningAlgorithm;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const PRIVATE_KEY_FILE = 'private-key.jwk.json';
const PUBLIC_JWKS_FILE = 'jwks.json';

/**
 * The key pair kept in `dir`, generated on first use. The private key is readable by its owner
 * only; the public JWKS is written beside it for whoever must verify.
 */
export async function loadOrCreateSigningKey(dir: string, alg: SigningAlgorithm): Promise<SigningKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const key = await signingKeyOf((await readJwk(privatePath)) ?? (await createPrivateJwk(privatePath, alg)), alg, privatePath);
  await writeOnce(join(dir, PUBLIC_JWKS_FILE), JSON.stringify({ keys: [key.publicJwk] }, null, 2), 0o644);
  return key;
}

/** A key pair someone made and shared (`npm run keys:gateway`): never made here, so replicas never part ways. */
export async function loadSigningKey(privatePath: string, alg: SigningAlgorithm, setting: string): Promise<SigningKey> {
  const privateJwk = await readJwk(privatePath).catch(() => undefined);
  if (!privateJwk) throw new Error(`${setting}: no private key readable at ${privatePath} (make one with npm run keys:gateway)`);
  return signingKeyOf(privateJwk, alg, privatePath);
}

async function signingKeyOf(privateJwk: JWK, alg: SigningAlgorithm, privatePath: string): Promise<SigningKey> {
  if (privateJwk.alg !== alg) throw new Error(`${privatePath} holds a ${privateJwk.alg} key, expected ${alg}`);
  const privateKey = await importJWK(privateJwk, alg);
  if (privateKey instanceof Uint8Array) throw new Error(`${privatePath} does not hold an asymmetric key`);
  return { alg, kid: String(privateJwk.kid), privateKey, publicJwk: publicPart(privateJwk) };
}

const publicPart = ({ d: _private, ...rest }: JWK): JWK => rest;

async function readJwk(path: string): Promise<JWK | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function createPrivateJwk(path: string, alg: SigningAlgorithm): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk));
  await writeOnce(path, JSON.stringify({ ...jwk, kid, alg, use: 'sig' }), 0o600);
  // Another process may have won the race to create it: everyone uses the file's key.
  return (await readJwk(path)) as JWK;
}

/** Writes `path` unless it exists; a reader never sees a half-written file (write aside, then link). */
async function writeOnce(path: string, text: string, mode: number): Promise<void> {
  const aside = `${path}.${randomUUID()}.tmp`;
  await writeFile(aside, text, { mode });
  try {
    await link(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(aside, { force: true });
  }
}
