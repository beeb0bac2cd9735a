import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSafelist, operationHash } from '../../gateway/safelist/manifest.ts';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { bearerFor } from '../support/tokens.ts';
import { subgraphCallCounter, subgraphStandIn, useGatewayVariant, type StandIn } from './harness.ts';
import { ALIAS_OVERLOADING, hostileRequests, postJson, type Answer } from './hostile-requests.ts';

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

/** Beside an error meant for the caller, a database message with a stack trace, and no code. */
function leakyAnswer(response: ServerResponse): void {
  response.setHeader('content-type', 'application/json');
  response.end(
    JSON.stringify({
      data: null,
      errors: [
        { message: 'Invoice inv-1 was not found', extensions: { code: 'NOT_FOUND', entity: 'Invoice', id: 'inv-1' } },
        {
          message: 'relation "invoice" does not exist',
          extensions: { exception: { stacktrace: ['error: relation "invoice" does not exist', '    at Parser.parseErrorMessage (/srv/node_modules/pg-protocol/dist/parser.js:287:98)'] } },
        },
      ],
    }),
  );
}

describe('the gateway under hostile input, on the embedded system', () => {
  let system: RunningSystem;
  let subgraphCalls: () => number;
  let admin: Record<string, string>;
  let clinician: Record<string, string>;

  beforeAll(async () => {
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: false });
    subgraphCalls = subgraphCallCounter(system);
    admin = await bearerFor({ role: 'admin', purpose: 'TREAT' });
    clinician = await bearerFor({ role: 'clinician' });
  });
  afterAll(() => system?.close());

  const expectHealthy = async () => {
    expect((await fetch(new URL('/health', system.gateway.url))).status).toBe(200);
    const before = subgraphCalls();
    const ordinary = await postJson(system.gateway.url, { query: '{ practitioners { id } }' }, admin);
    expect(ordinary).toMatchObject({ status: 200, body: { data: { practitioners: [] } } });
    expect(subgraphCalls()).toBeGreaterThan(before);
  };

  it.each(hostileRequests)('refuses $name with $status $code, calls no subgraph and stays healthy', async ({ send, status, code, message }) => {
    const before = subgraphCalls();
    const answer = await send(system.gateway.url, admin);
    expect([answer.status, codeOf(answer)]).toEqual([status, code]);
    if (message) expect(answer.body.errors?.[0]?.message).toMatch(message);
    expect(subgraphCalls()).toBe(before);
    await expectHealthy();
  });

  describe('introspection and schema hints', () => {
    const production = useGatewayVariant(() => system, () => ({ governance: { introspectionForEveryone: false } }));

    // Not getIntrospectionQuery(): demand control prices it at 16 424, above every tier's maximum.
    it('lets anyone introspect in embedded mode, and only the admin role outside it', async () => {
      const query = '{ __schema { queryType { name } types { name kind } } }';
      expect((await postJson(system.gateway.url, { query })).body.data?.__schema).toBeDefined();
      const refused = await postJson(production(), { query }, clinician);
      expect([refused.status, codeOf(refused)]).toEqual([403, 'FORBIDDEN']);
      expect((await postJson(production(), { query }, admin)).body.data?.__schema).toBeDefined();
    });

    it('suggests field and enum names in embedded mode only, in validation and variable errors alike', async () => {
      const misspelt = [
        { query: '{ practitionrs { id } }' },
        { query: 'query ($s: [AppointmentStatus!]) { appointments(filter: { status: $s }) { id } }', variables: { s: ['FULFILED'] } },
      ];
      for (const request of misspelt) {
        expect((await postJson(system.gateway.url, request, admin)).body.errors?.[0]?.message).toMatch(/Did you mean/);
        const hidden = await postJson(production(), request, admin);
        expect(hidden.status).toBe(400);
        expect(hidden.body.errors?.[0]?.message).not.toMatch(/Did you mean|practitioners|FULFILLED/);
      }
    });
  });

  describe('batching, once GATEWAY_ALLOW_BATCHING is on', () => {
    const batching = useGatewayVariant(() => system, () => ({ governance: { allowBatchedRequests: true } }));

    it('governs each operation of a batch on its own', async () => {
      const batch = [{ query: '{ practitioners { id } }' }, { query: ALIAS_OVERLOADING }];
      const answers = (await postJson(batching(), batch, admin)).body as unknown as Array<Answer['body']>;
      expect(answers.map((answer) => [answer.data, answer.errors?.[0]?.extensions?.code])).toEqual([
        [{ practitioners: [] }, undefined],
        [undefined, 'MAX_ALIASES_EXCEEDED'],
      ]);
    });
  });

  describe('safelist mode', () => {
    const safelisted = useGatewayVariant(() => system, () => ({ governance: { safelist: loadSafelist() } }));
    let frontDesk: Record<string, string>;
    beforeAll(async () => {
      // The front desk signs in through portal-staff, whose manifest ships in policies/persisted-operations/.
      frontDesk = await bearerFor({ role: 'front_desk' });
    });

    it('runs a registered operation sent by its hash alone', async () => {
      const [document] = loadSafelist().get('portal-staff')!.values();
      const before = subgraphCalls();
      const answer = await postJson(
        safelisted(),
        { variables: { id: 'pat-0001' }, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(document!) } } },
        frontDesk,
      );
      expect(answer.body).toMatchObject({ data: { patient: null } });
      expect(answer.body.errors).toBeUndefined();
      expect(subgraphCalls()).toBeGreaterThan(before);
    });

    it.each(hostileRequests)('answers $name with PERSISTED_QUERY_NOT_IN_LIST when it carries a document, as before otherwise', async ({ send, status, code, document }) => {
      const before = subgraphCalls();
      const answer = await send(safelisted(), frontDesk);
      expect([answer.status, codeOf(answer)]).toEqual(document ? [400, 'PERSISTED_QUERY_NOT_IN_LIST'] : [status, code]);
      expect(subgraphCalls()).toBe(before);
    });
  });

  describe('subgraph failures', () => {
    const standIns: StandIn[] = [];
    beforeAll(async () => {
      // A subgraph that never answers, and a subgraph server that neither masks nor codes its errors.
      standIns.push(await subgraphStandIn(), await subgraphStandIn(leakyAnswer));
    });
    afterAll(() => Promise.all(standIns.map((standIn) => standIn.close())));
    const faulty = useGatewayVariant(() => system, () => ({ subgraphUrls: { patients: standIns[0]!.url, billing: standIns[1]!.url }, subgraphTimeoutMs: 300 }));

    it('answers UPSTREAM_UNAVAILABLE for a subgraph that does not answer in time', async () => {
      const answer = await postJson(faulty(), { query: '{ patient(id: "pat-0001") { id } }' }, admin);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ message: 'The patients service is unavailable', extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }) }),
      ]);
    });

    it("passes a subgraph's caller-facing error on, and nothing of one it did not mean for the caller", async () => {
      const answer = await postJson(faulty(), { query: '{ invoice(id: "inv-1") { id } }' }, admin);
      expect(answer.body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
        ['Invoice inv-1 was not found', 'NOT_FOUND'],
        ['Internal server error', 'INTERNAL_SERVER_ERROR'],
      ]);
      expect(JSON.stringify(answer.body)).not.toMatch(/relation|stacktrace|exception|pg-protocol/);
    });

    // Last: billing stays without its invoices.
    it("answers a subgraph's own failure with a code only, never its message or stack", async () => {
      await system.subgraphs.billing.database.query('DROP TABLE invoice CASCADE');
      const answer = await postJson(system.gateway.url, { query: '{ invoice(id: "inv-1") { id } }' }, admin);
      expect(answer.body.errors).toEqual([{ message: 'Internal server error', path: ['invoice'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(JSON.stringify(answer.body)).not.toMatch(/relation|does not exist|stack/);
      expect((await fetch(new URL('/health', system.gateway.url))).status).toBe(200);
    });
  });
});
