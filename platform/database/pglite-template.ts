import { PGlite } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PgliteTemplate {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  /** A freshly initialised, empty data directory (tarball). */
  snapshot: Blob;
}

const distDir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));

let template: Promise<PgliteTemplate> | undefined;

/**
 * WAL segments of 1 MB instead of 16: an empty cluster's tarball is 31 MB instead of 40, of which
 * 16 were a WAL segment of zeros that every in-memory database copied in at its start (about a
 * third of its start) and kept in memory.
 */
const TEMPLATE_INITDB_PARAMS = ['--wal-segsize=1'];

/**
 * Most of a PGlite start is compiling its WebAssembly and running initdb. Both are done once per
 * process here; the empty cluster initdb makes is also kept in the temp folder, per PGlite version,
 * so later processes (each service, each test worker) start from it in a fraction of the time.
 */
export function pgliteTemplate(): Promise<PgliteTemplate> {
  template ??= build();
  return template;
}

async function build(): Promise<PgliteTemplate> {
  const compile = async (file: string) => WebAssembly.compile(await readFile(join(distDir, file)));
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compile('pglite.wasm'), compile('initdb.wasm')]);
  const { version } = JSON.parse(await readFile(join(distDir, '..', 'package.json'), 'utf8')) as { version: string };
  const cached = join(tmpdir(), `pglite-${version}-initdb-wal1.tar`);
  const snapshot = await readFile(cached).then(
    (bytes) => new Blob([bytes]),
    async () => {
      const fresh = await PGlite.create({ pgliteWasmModule, initdbWasmModule, initDbStartParams: TEMPLATE_INITDB_PARAMS });
      const dumped = await fresh.dumpDataDir('none');
      await fresh.close();
      // Written aside then renamed, so a concurrent reader never sees half a file.
      const partial = `${cached}.${randomUUID()}`;
      await writeFile(partial, Buffer.from(await dumped.arrayBuffer()));
      await rename(partial, cached);
      return dumped;
    },
  );
  return { pgliteWasmModule, initdbWasmModule, snapshot };
}
