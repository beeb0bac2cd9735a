import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { forgedTokens, type ForgedToken } from '../support/forged-tokens.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { watchSubgraphTraffic } from '../support/subgraph-traffic.ts';

const PATIENT = '{ patient(id: "pat-0001") { id name { text } birthDate } }';

describe('the gateway refuses every forged token before any subgraph is called', () => {
  let system: RunningSystem;
  let traffic: ReturnType<typeof watchSubgraphTraffic>;
  let tokens: ForgedToken[];

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
    traffic = watchSubgraphTraffic(system);
    tokens = await forgedTokens();
  });
  afterAll(() => system?.close());

  it('answers UNAUTHENTICATED with the reason, HTTP 401, and no subgraph sees the request', async () => {
    for (const { name, token, reason } of tokens) {
      traffic.reset();
      const response = await graphql(system.gateway.url, PATIENT, undefined, { authorization: `Bearer ${token}` });
      expect({ name, status: response.status, errors: response.errors }).toMatchObject({
        name,
        status: 401,
        errors: [{ extensions: { code: 'UNAUTHENTICATED', reason } }],
      });
      expect(response.data ?? null).toBeNull();
      expect({ name, subgraphCalls: traffic.total() }).toEqual({ name, subgraphCalls: 0 });
    }
  });

  it('answers an anonymous caller FORBIDDEN on a protected field without fetching it', async () => {
    traffic.reset();
    const response = await graphql(system.gateway.url, PATIENT);
    expect(response.data).toEqual({ patient: null });
    expect(response.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['patient', 'FORBIDDEN']]);
    expect(traffic.total()).toBe(0);
  });

  it('answers 401 to a call made straight to a subgraph, around the gateway', async () => {
    for (const subgraph of Object.values(system.subgraphs)) {
      const response = await graphql(subgraph.url, '{ __typename }');
      expect({ subgraph: subgraph.name, status: response.status, code: response.errors?.[0]?.extensions?.code }).toEqual({
        subgraph: subgraph.name,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('answers 401 to a subgraph call bearing a user token instead of the internal one', async () => {
    const userToken = (await bearerFor({ role: 'admin' })).authorization;
    const response = await graphql(system.subgraphs.patients.url, PATIENT, undefined, { authorization: userToken! });
    expect(response.status).toBe(401);
  });
});
