import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start` as a new user runs it, with every TCP connection it attempts written down.
const dataDir = mkdtempSync(join(tmpdir(), 'hg-no-calls-out-'));
const record = join(dataDir, 'outbound.jsonl');
const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

let child: ReturnType<typeof spawn>;
let url: string;

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, OUTBOUND_RECORD: record };
  for (const name of ['APOLLO_TELEMETRY_DISABLED', 'APOLLO_KEY', 'APOLLO_GRAPH_REF', 'DATABASE_URL', 'REDIS_URL', 'ODOO_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']) delete env[name];
  child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/support/outbound-recorder.mjs', 'launcher.ts'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`npm start exited with ${code}`)));
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      const found = /Healthcare graph ready: (\S+)/.exec(line);
      if (found) return found[1]!;
    }
    throw new Error('closed its output before it was ready');
  })();
  url = await Promise.race([ready, exited]);
  // A request through every subgraph, so lazily opened connections are made too.
  await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
});

afterAll(async () => {
  child?.kill('SIGTERM');
  if (child?.exitCode === null) await once(child, 'exit');
});

describe('starting the system', () => {
  it('connects to nothing but the services on this machine (no Apollo telemetry, no cloud metadata probes)', () => {
    const attempts = existsSync(record)
      ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { host: string; port: number })
      : [];
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.filter(({ host }) => !loopback.has(host))).toEqual([]);
  });

  it('serves no page that loads anything from another host', async () => {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    const page = await response.text();
    const foreign = [...page.matchAll(/https?:\/\/([^/"'\s)]+)/g)].map((match) => match[1]).filter((host) => !host!.startsWith('127.0.0.1'));
    expect(foreign).toEqual([]);
  });
});
