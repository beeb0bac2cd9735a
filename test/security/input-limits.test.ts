// Issue 11, finding 8: a NUL byte or a 900 kB string in an input gave 500, and name and address lists had no
// length cap. Every input is bounded by policies/input-limits.ts, refused as BAD_USER_INPUT with a reason and
// without the value (it may be patient data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLimits, inputLimits } from '../../policies/input-limits.ts';
import { startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }
`;
const SEARCH = 'query Search($name: String!) { patients(search: { name: $name }, first: 5) { edges { cursor } } }';
const BOOK = 'mutation Book($reason: String) { bookAppointment(slotId: "slot-none", patientId: "pat-none", reason: $reason) { id } }';
const STATUSES = 'query Statuses($s: [AppointmentStatus!]) { appointments(filter: { status: $s }, first: 1) { id } }';

const patient = (overrides: Record<string, unknown> = {}) => ({
  name: { family: 'Quill', given: ['Ada'] },
  birthDate: '1990-04-02',
  gender: 'FEMALE',
  telecom: [{ system: 'PHONE', value: '+1 555 0100', use: 'MOBILE' }],
  address: { line: ['1 Main St'], city: 'Springfield', postalCode: '12345', country: 'US' },
  ...overrides,
});

/** The answer's refusal: one BAD_USER_INPUT with its reason, HTTP 400 when the gateway refused it. */
const refusal = (answer: Answer) => ({
  status: answer.status,
  errors: (answer.errors ?? []).map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason })),
});

describe('finding 8: input limits as policy', () => {
  let seeded: SeededSystem;
  let desk: Call;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    desk = await seeded.as({ role: 'front_desk' });
  });
  afterAll(() => seeded?.close());

  const expectRefused = (answer: Answer, reason: string, secret?: string) => {
    expect(refusal(answer)).toEqual({ status: 400, errors: [{ code: 'BAD_USER_INPUT', reason }] });
    if (secret) expect(JSON.stringify(answer)).not.toContain(secret);
  };

  it.each([
    ['a NUL byte', 'Ada\u0000Lovelace'],
    ['an escape character', 'Ada\u001b[31mLovelace'],
    ['a DEL character', 'Ada\u007fLovelace'],
  ])('refuses %s in a variable, naming no value', async (_what, family) => {
    expectRefused(await desk(REGISTER, { input: patient({ name: { family, given: ['Ada'] } }) }), 'INPUT_CONTROL_CHARACTER', 'Lovelace');
    expectRefused(await desk(SEARCH, { name: family }), 'INPUT_CONTROL_CHARACTER', 'Lovelace');
  });

  it('refuses a NUL byte written in the document', async () => {
    const answer = await desk(`{ patients(search: { name: "Ada\\u0000Lovelace" }, first: 5) { edges { cursor } } }`);
    expectRefused(answer, 'INPUT_CONTROL_CHARACTER', 'Lovelace');
  });

  it('keeps tabs and line breaks in free text', async () => {
    const answer = await desk(BOOK, { reason: 'chest pain\n\tsince Monday' });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('refuses a 900 kB string, as a variable and written in the document', async () => {
    const long = `Lovelace${'x'.repeat(900_000)}`;
    expectRefused(await desk(SEARCH, { name: long }), 'INPUT_TOO_LONG', 'xxxxxxxx');
    expectRefused(await desk(`{ patients(search: { name: "${long}" }, first: 5) { edges { cursor } } }`), 'INPUT_TOO_LONG', 'xxxxxxxx');
    expectRefused(await desk(BOOK, { reason: 'r'.repeat(inputLimits.maxStringLength + 1) }), 'INPUT_TOO_LONG', 'rrrrrrrr');
  });

  it('refuses a list over the limit, as a variable and written in the document', async () => {
    const many = Array(inputLimits.maxListLength + 1).fill('BOOKED');
    expectRefused(await desk(STATUSES, { s: many }), 'LIST_TOO_LONG');
    expectRefused(await desk(`{ appointments(filter: { status: [${many.join(', ')}] }, first: 1) { id } }`), 'LIST_TOO_LONG');
  });

  it('refuses a variable nested deeper than the limit', async () => {
    const nested = JSON.parse(`${'['.repeat(inputLimits.maxDepth + 5)}${']'.repeat(inputLimits.maxDepth + 5)}`);
    expectRefused(await desk(STATUSES, { s: nested }), 'INPUT_TOO_DEEP');
  });

  describe('the patients subgraph caps the lists of a person’s record', () => {
    it.each([
      ['given names', patient({ name: { family: 'Quill', given: Array(fieldLimits.givenNames + 1).fill('Ada') } })],
      ['address lines', patient({ address: { line: Array(fieldLimits.addressLines + 1).fill('Main St'), city: 'Springfield', postalCode: '12345', country: 'US' } })],
      ['contact points', patient({ telecom: Array(fieldLimits.contactPoints + 1).fill({ system: 'PHONE', value: '+1 555 0100', use: 'MOBILE' }) })],
    ])('refuses too many %s', async (_what, input) => {
      const answer = await desk(REGISTER, { input });
      expect(answer.data?.registerPatient ?? null).toBeNull();
      expect(answer.errors?.map((error) => ({ code: error.extensions?.code, reason: error.extensions?.reason }))).toEqual([
        { code: 'BAD_USER_INPUT', reason: 'LIST_TOO_LONG' },
      ]);
    });

    it('registers a patient at the caps', async () => {
      const answer = await desk(REGISTER, {
        input: patient({
          name: { family: 'Quill', given: Array(fieldLimits.givenNames).fill('Ada') },
          address: { line: Array(fieldLimits.addressLines).fill('Main St'), city: 'Springfield', postalCode: '12345', country: 'US' },
        }),
      });
      expect(answer.errors).toBeUndefined();
    });
  });
});
