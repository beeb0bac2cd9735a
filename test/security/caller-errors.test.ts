// Issue 11, finding 8: answers that were wrong about whose fault a failure was, or that told the caller too much.
// An invalid Date gave UPSTREAM_UNAVAILABLE ("the patients service is unavailable"), an unknown operationName
// HTTP 500, a token 5–29 s past its expiry UPSTREAM_UNAVAILABLE, the alias `__patientId` 500, and error
// extensions named the internal service (`serviceName`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { pick, startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

const BY_BIRTH_DATE = 'query ByBirthDate($d: Date!) { patients(search: { birthDate: $d }, first: 5) { edges { cursor } } }';
const PATIENT = 'query Patient($id: ID!) { patient(id: $id) { id name { text } } }';

const refusal = (answer: { status: number; errors?: Answer['errors'] }) => ({
  status: answer.status,
  errors: (answer.errors ?? []).map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason })),
});

describe('finding 8: the caller learns what was wrong with its request, and nothing of the inside', () => {
  let seeded: SeededSystem;
  let desk: Call;
  let patientId: string;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    desk = await seeded.as({ role: 'front_desk' });
    patientId = (await pick(seeded.db.patients, 'SELECT id FROM patient ORDER BY id'))[0]!;
  });
  afterAll(() => seeded?.close());

  describe('an invalid Date or DateTime is BAD_USER_INPUT, refused before any subgraph is called', () => {
    it.each(['2019-02-31', '22/03/2019', '2019-3-22', 'yesterday'])('the variable %s', async (value) => {
      const answer = await desk(BY_BIRTH_DATE, { d: value });
      expect(refusal(answer)).toEqual({ status: 400, errors: [{ code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE' }] });
      expect(JSON.stringify(answer.errors)).not.toContain(value);
      expect(JSON.stringify(answer.errors)).not.toMatch(/service/i);
    });

    it('a value written in the document, each time the document comes (its check is kept per document)', async () => {
      for (let time = 0; time < 2; time++) {
        const answer = await desk('{ patients(search: { birthDate: "2019-02-31" }, first: 5) { edges { cursor } } }');
        expect(refusal(answer)).toEqual({ status: 400, errors: [{ code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE' }] });
        expect(JSON.stringify(answer.errors)).not.toContain('2019-02-31');
      }
    });

    it('a DateTime in a nested input', async () => {
      const answer = await desk('query Slots($from: DateTime!) { availableSlots(from: $from, to: "2026-12-01T00:00:00Z") { id } }', { from: '2026-13-01T00:00:00Z' });
      expect(refusal(answer)).toEqual({ status: 400, errors: [{ code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE' }] });
    });

    it('a variable of another type, without repeating it', async () => {
      const answer = await desk(PATIENT, { id: { family: 'Lovelace' } });
      expect(refusal(answer)).toEqual({ status: 400, errors: [{ code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE' }] });
      expect(JSON.stringify(answer.errors)).not.toContain('Lovelace');
    });

    it('a valid date still answers', async () => {
      const answer = await desk(BY_BIRTH_DATE, { d: '2019-03-22' });
      expect(answer.errors).toBeUndefined();
    });
  });

  describe('an unknown operationName is HTTP 400 with a stable code', () => {
    const post = async (body: Record<string, unknown>) => {
      const response = await fetch(seeded.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await bearerFor({ role: 'front_desk' })) },
        body: JSON.stringify(body),
      });
      return { status: response.status, ...((await response.json()) as Pick<Answer, 'errors'>) };
    };

    it.each([
      ['one named operation', { query: 'query A { practitioners { id } }', operationName: 'B' }],
      ['one anonymous operation', { query: '{ practitioners { id } }', operationName: 'B' }],
      ['two operations', { query: 'query A { practitioners { id } } query B { locations { id } }', operationName: 'C' }],
      ['a mutation', { query: 'mutation A { markNoShow(id: "apt-x") { id } }', operationName: 'B' }],
      ['the name of a fragment', { query: 'query A { practitioners { ...F } } fragment F on Practitioner { id }', operationName: 'F' }],
    ])('%s', async (_what, body) => {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('a token past its expiry is 401 UNAUTHENTICATED, whatever the seconds', () => {
    it.each([1, 5, 12, 29, 31])('%i s past', async (seconds) => {
      const authorization = await bearerFor({ role: 'front_desk', ttlSeconds: -seconds });
      const answer = await graphql(seeded.url, PATIENT, { id: patientId }, authorization);
      expect(refusal(answer)).toEqual({ status: 401, errors: [{ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' }] });
    });
  });

  it('answers the alias __patientId as any other alias', async () => {
    const answer = await desk('query Patient($id: ID!) { patient(id: $id) { __patientId: mrn id } }', { id: patientId });
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.patient).toEqual({ __patientId: expect.any(String), id: patientId });
  });

  it("names no internal service in an error's extensions", async () => {
    const answers = [
      await desk('mutation { markNoShow(id: "apt-none") { id } }'),
      await desk('mutation { bookAppointment(slotId: "slot-none", patientId: "pat-none") { id } }'),
      await desk('mutation { issueInvoice(patientId: "pat-none") { id } }'),
      await desk('query Patient($id: ID!) { patient(id: $id) { id consents { id } } }', { id: 'pat-none' }),
      await (await seeded.as({ role: 'billing_specialist' }))('{ patient(id: "pat-none") { id } claim(id: "clm-none") { id } }'),
    ];
    const errors = answers.flatMap((answer) => answer.errors ?? []);
    expect(codesOf({ status: 200, headers: new Headers(), errors })).toContain('NOT_FOUND');
    for (const error of errors) expect(Object.keys(error.extensions ?? {})).not.toContain('serviceName');
  });
});
