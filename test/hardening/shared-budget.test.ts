import { setting } from '../../platform/config.ts';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { clientTiers } from '../../policies/client-tiers.ts';
import { dropSystemSchemas, postgresUrl, uniqueName } from '../support/databases.ts';
import { spawnGateway } from '../support/gateway-process.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

const redisUrl = setting('TEST_REDIS_URL');

/**
 * 120 appointments, each with its practitioner: 120 x 2, plus the filter (an input object) 1 = 241, estimated and,
 * with 120 in the window, actual. The default tier (a client id without a named tier) holds 600 points and
 * restores 20 a second: two such operations fit, a third does not for another 6 seconds.
 */
const DAY_LIST = 'query ($from: DateTime!, $to: DateTime!) { appointments(filter: { from: $from, to: $to }, first: 120) { id practitioner { id } } }';
const COST = 241;
const window = { from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 30 * 86_400_000).toISOString() };

describe('two gateway processes sharing one Redis', () => {
  const schemaPrefix = `${uniqueName('budget')}_`;
  const keyPrefix = `test:hardening:${randomUUID()}:`;
  // Both gateways trust the issuer and sign with the internal key of this directory, as the subgraphs expect.
  const dataDir = mkdtempSync(join(tmpdir(), 'shared-budget-'));
  const redis = createClient({ url: redisUrl });
  let system: RunningSystem;
  let gateways: Array<{ process: ChildProcess; url: string }> = [];

  beforeAll(async () => {
    await redis.connect();
    system = await startSystem({ databaseUrl: postgresUrl, schemaPrefix, gatewayPort: 0, seedDemoData: true, dataDir });
    const subgraphUrls = Object.fromEntries(
      Object.values(system.subgraphs).map(({ name, url }) => [`SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`, url]),
    );
    const env = {
      ...subgraphUrls,
      RUN_MODE: 'embedded',
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      GATEWAY_EVENTS: 'false',
      COST_BUCKET_KEY_PREFIX: keyPrefix,
      // The audit trail of both replicas in the system's own audit schema, as replicas share one database.
      DATABASE_URL: postgresUrl,
      AUDIT_SCHEMA: `${schemaPrefix}audit`,
    };
    gateways = await Promise.all([spawnGateway(env), spawnGateway(env)]);
  });
  afterAll(async () => {
    await Promise.all(gateways.map(async (gateway) => (gateway.process.kill('SIGTERM'), once(gateway.process, 'exit'))));
    await system?.close();
    await dropSystemSchemas(postgresUrl, system);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.close();
  });

  it("spends one client's budget across both: RATE_LIMITED from either once it is used up", async () => {
    const client = await bearerFor({ role: 'admin', purpose: 'TREAT', client: `budget-probe-${randomUUID()}` }, dataDir);
    const [first, second] = gateways.map(({ url }) => () => graphql(url, DAY_LIST, window, client));
    const answers: GraphQLResponse[] = [];
    for (const call of [first!, second!, first!, second!]) answers.push(await call());
    const tier = clientTiers.default;

    expect(answers.map(({ status }) => status)).toEqual([200, 200, 429, 429]);
    expect(answers[0]!.extensions?.cost).toMatchObject({ requestedQueryCost: COST, actualQueryCost: COST });
    // The second gateway saw what the first took: one bucket, not one per process.
    expect(answers[1]!.extensions?.cost.throttleStatus.currentlyAvailable).toBeLessThan(tier.capacity - COST);
    for (const refused of answers.slice(2)) {
      expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(await redis.keys(`${keyPrefix}*`)).toHaveLength(1);
  });
});
