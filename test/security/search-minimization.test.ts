// Issue 11, finding 2: search and cursors undid minimization. Callers who see names as initials and
// birth dates as a year (payer, auditor, admin) read the family name in the cursor, confirmed an
// exact birth date by searching for it, and confirmed a national identifier they may not see at all.
import type { TokenRequest } from '../../gateway/authentication/embedded-issuer.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import { membersOf, payerToken, startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

const SEARCH = /* GraphQL */ `
  query Search($search: PatientSearch!, $first: Int, $after: String) {
    patients(search: $search, first: $first, after: $after) {
      edges { cursor node { id mrn name { text } birthDate } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

type StoredPatient = {
  id: string;
  mrn: string;
  family: string;
  given: string[];
  birthDate: string;
  nationalIdentifier: string | null;
};

/** The texts a cursor could carry: itself, and what it decodes to as base64 or base64url. */
const readings = (cursor: string) => [cursor, Buffer.from(cursor, 'base64url').toString('utf8'), Buffer.from(cursor, 'base64').toString('utf8')];

/** The cursor with the character at `position` replaced by another base64url character. */
const altered = (cursor: string, position: number) => {
  const replacement = cursor[position] === 'A' ? 'B' : 'A';
  return cursor.slice(0, position) + replacement + cursor.slice(position + 1);
};

const edgesOf = (answer: Answer): Array<{ cursor: string; node: { id: string; birthDate: string } }> => answer.data?.patients?.edges ?? [];

/** Callers who see names as initials, birth dates as a year, no national identifier: who they are and whom they may see. */
const minimizedCallers: Array<{ name: string; token: TokenRequest; payer?: string }> = [
  { name: 'payer_partner', token: payerToken('pay-01'), payer: 'pay-01' },
  { name: 'auditor', token: { role: 'auditor' } },
  { name: 'admin', token: { role: 'admin' } },
];

describe('finding 2: search and cursors cannot undo minimization', () => {
  let seeded: SeededSystem;
  let patients: Map<string, StoredPatient>;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    const rows = await seeded.db.patients.query<StoredPatient>(
      `SELECT id, mrn, family_name AS family, given_names AS given, birth_date::text AS "birthDate", national_identifier AS "nationalIdentifier"
       FROM patient ORDER BY id`,
    );
    patients = new Map(rows.map((row) => [row.id, row]));
  });
  afterAll(() => seeded?.close());

  describe.each(minimizedCallers)('for $name', ({ token, payer }) => {
    let call: Call;
    /** A patient this caller may see (a member, for a payer), with a national identifier. */
    let target: StoredPatient;

    beforeAll(async () => {
      call = await seeded.as(token);
      const visible = payer ? await membersOf(seeded.db.patients, payer) : [...patients.keys()];
      target = visible.map((id) => patients.get(id)!).find((patient) => patient.nationalIdentifier !== null)!;
    });

    /** A one-letter name search (what initials show) that finds the target. */
    const initialSearch = () => ({ name: target.family[0]!.toLowerCase() });

    it('gets cursors that carry no name or birth date, not even encoded', async () => {
      const answer = await call(SEARCH, { search: initialSearch(), first: 5 });
      const edges = edgesOf(answer);
      expect(edges.length).toBeGreaterThan(0);
      const cursors = [...edges.map((edge) => ({ cursor: edge.cursor, id: edge.node.id })), { cursor: answer.data!.patients.pageInfo.endCursor, id: edges.at(-1)!.node.id }];
      for (const { cursor, id } of cursors) {
        const patient = patients.get(id)!;
        const values = [patient.family, ...patient.given, patient.birthDate].map((value) => value.toLowerCase());
        for (const text of readings(cursor).map((reading) => reading.toLowerCase())) {
          for (const value of values) expect(text, `cursor ${cursor} of ${id}`).not.toContain(value);
        }
      }
    });

    it('is refused BAD_USER_INPUT for a cursor altered by one character', async () => {
      const first = await call(SEARCH, { search: initialSearch(), first: 1 });
      const cursor = first.data!.patients.pageInfo.endCursor as string;
      // Every character but the last, which in base64 may carry only padding bits.
      for (let position = 0; position < cursor.length - 1; position++) {
        const answer = await call(SEARCH, { search: initialSearch(), first: 1, after: altered(cursor, position) });
        expect({ position, codes: codesOf(answer) }).toEqual({ position, codes: ['BAD_USER_INPUT'] });
      }
    });

    it('may not search by an exact birth date (FORBIDDEN), but by the year it sees', async () => {
      const exact = await call(SEARCH, { search: { birthDate: target.birthDate }, first: 100 });
      expect(codesOf(exact)).toEqual(['FORBIDDEN']);
      expect(edgesOf(exact)).toEqual([]);

      const year = Number(target.birthDate.slice(0, 4));
      const byYear = await call(
        'query($year: Int!) { patients(search: { birthYear: $year }, first: 100) { edges { node { id birthDate } } } }',
        { year },
      );
      expect(byYear.errors).toBeUndefined();
      const found = edgesOf(byYear).map((edge) => edge.node);
      expect(found.map((node) => node.id)).toContain(target.id);
      for (const node of found) expect(node.birthDate).toBe(String(year));
    });

    it('never finds a patient by a national identifier it may not see', async () => {
      const answer = await call(SEARCH, { search: { identifier: target.nationalIdentifier }, first: 100 });
      for (const code of codesOf(answer)) expect(code).toBe('FORBIDDEN');
      expect(edgesOf(answer)).toEqual([]);
      const text = JSON.stringify(answer);
      for (const value of [target.id, target.mrn]) expect(text).not.toContain(value);
    });

    it('may not search by more of a name than its initial (FORBIDDEN)', async () => {
      const answer = await call(SEARCH, { search: { name: target.family.slice(0, 3) }, first: 100 });
      expect(codesOf(answer)).toEqual(['FORBIDDEN']);
      expect(edgesOf(answer)).toEqual([]);
    });
  });

  it('front desk, who sees full names and dates, still searches by exact birth date and by name prefix', async () => {
    const frontDesk = await seeded.as({ role: 'front_desk' });
    const target = [...patients.values()][41]!;
    const byDate = await frontDesk(SEARCH, { search: { birthDate: target.birthDate }, first: 100 });
    expect(byDate.errors).toBeUndefined();
    expect(edgesOf(byDate).map((edge) => edge.node)).toContainEqual(expect.objectContaining({ id: target.id, birthDate: target.birthDate }));
    const byName = await frontDesk(SEARCH, { search: { name: target.family.slice(0, 3) }, first: 100 });
    expect(byName.errors).toBeUndefined();
    expect(edgesOf(byName).map((edge) => edge.node.id)).toContain(target.id);
  });
});
