// `npm run bench:latency`: where the time of one request goes when it is alone, workload (c)'s
// patient card. One request at a time against the patients subgraph called directly, our gateway
// with the full pipeline and with GOVERNANCE=off, and @apollo/gateway with our undici fetcher; for
// ours, the means its own /metrics give for the GraphQL operation, the subgraph call and the access
// record's durable write, and a durable commit alone on the same PostgreSQL. LATENCY_REQUESTS (600).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { setting } from '../platform/config.ts';
import { durableCommitMs } from './durable-commit.ts';
import { benchCallers, fixedSubgraphAuthorization, internalAuthorizationOf, patientId } from './healthcare/callers.ts';
import { patientCard } from './healthcare/queries.ts';
import { startStack } from './stacks.ts';
import { bareApolloGateway, ourGateway, type Target } from './targets.ts';
import { postgresUrl } from '../test/support/databases.ts';

const requests = setting('LATENCY_REQUESTS');
const workDir = mkdtempSync(join(tmpdir(), 'latency-breakdown-'));
process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
const dataDir = join(workDir, 'data');

const agent = new Agent({ connections: 1 });

/** p50 of the last two thirds of `requests` one-at-a-time calls (the first third warms up). */
async function p50(url: string, authorization: string): Promise<number> {
  const body = JSON.stringify({ query: patientCard, variables: { id: patientId(0) } });
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await request(url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', authorization }, body });
    const text = await response.body.text();
    if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`${url} answered ${response.statusCode}: not a patient card`);
    times.push(performance.now() - started);
  }
  const measured = times.slice(Math.floor(requests / 3)).sort((a, b) => a - b);
  return measured[measured.length >> 1]!;
}

/** A histogram's mean over every label, from a service's /metrics, in ms. */
async function meanMs(graphqlUrl: string, histogram: string): Promise<string> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  const total = (suffix: string) =>
    [...text.matchAll(new RegExp(`^${histogram}_${suffix}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
  const count = total('count');
  return count ? ((total('sum') / count) * 1000).toFixed(2) : '—';
}

const [caller] = await benchCallers(dataDir, 1);
const stack = await startStack('healthcare', workDir, dataDir);
try {
  const direct = await p50(stack.subgraphUrls.patients!, await internalAuthorizationOf(stack.dataDir, caller!));
  const noRequests: Target['requestsOf'] = () => [];
  const targets = [
    ourGateway(stack, { governance: true, auditDatabaseUrl: postgresUrl }, noRequests),
    ourGateway(stack, { governance: false, auditDatabaseUrl: postgresUrl }, noRequests),
    bareApolloGateway(stack, await fixedSubgraphAuthorization(stack.dataDir), true, noRequests),
  ];
  console.log(`# One request at a time, the patient card (${requests} requests each, p50 of the last two thirds), ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(1)}\n`);
  console.log('| target | p50 ms | overhead over the direct call, ms | its GraphQL operation, mean ms | its subgraph call, mean ms | its access record write, mean ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(`| patients subgraph, direct | ${direct.toFixed(2)} | — | — | — | — |`);
  for (const target of targets) {
    const running = await target.start();
    try {
      const latency = await p50(running.url, caller!.authorization);
      const ours = target.name.startsWith('ours');
      const means = ours
        ? await Promise.all(['graphql_request', 'subgraph_request', 'access_record_write'].map((name) => meanMs(running.url, `healthgraph_${name}_duration_seconds`)))
        : ['—', '—', '—'];
      console.log(`| ${target.name} | ${latency.toFixed(2)} | ${(latency - direct).toFixed(2)} | ${means.join(' | ')} |`);
    } finally {
      await running.stop();
    }
  }
  const commit = await durableCommitMs(postgresUrl);
  console.log(`\nOne durable commit alone on the same PostgreSQL: p50 ${commit.p50.toFixed(2)} ms, p90 ${commit.p90.toFixed(2)} ms; load average at the end ${loadavg()[0]!.toFixed(1)}.`);
} finally {
  await stack.stop();
  await agent.close();
}
