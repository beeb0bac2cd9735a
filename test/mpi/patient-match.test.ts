// Issue 14: patientMatch (FHIR Patient/$match) finds a registered patient from a registration with
// the errors front desks make, graded, field by field; minimized, no finer than the caller sees,
// and in the audit trail like every other patient read.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../platform/audit/access-record.ts';
import { patientsNamed } from '../support/access-records.ts';
import { codesOf } from '../support/graphql.ts';
import { startSeededSystem, type Answer, type Call, type SeededSystem } from '../security/harness.ts';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterPatientInput!) { registerPatient(input: $input) { id } }
`;
const MATCH = /* GraphQL */ `
  query Match($input: PatientMatchInput!, $onlyCertain: Boolean, $count: Int) {
    patientMatch(input: $input, onlyCertain: $onlyCertain, count: $count) {
      score grade weight heldBack
      fields { field agreement weight }
      patient { id nationalIdentifier name { text } }
    }
  }
`;

const MATCH_IDS = /* GraphQL */ `
  query MatchIds($input: PatientMatchInput!, $onlyCertain: Boolean) { patientMatch(input: $input, onlyCertain: $onlyCertain) { grade patient { id } } }
`;

const ada = {
  name: { family: 'Quennell-Hartigan', given: ['Adelaide'] },
  birthDate: '1981-03-11',
  gender: 'FEMALE',
  nationalIdentifier: '721-44-9083',
  telecom: [{ system: 'PHONE', value: '+1 555 730 4412', use: 'MOBILE' }],
  address: { line: ['17 Wexford Terrace'], city: 'Springfield', state: 'IL', postalCode: '62711', country: 'US' },
};

describe('patientMatch', () => {
  let seeded: SeededSystem;
  let frontDesk: Call;
  let adaId: string;

  const recordsOf = async (answer: Answer): Promise<AuditEvent[]> => {
    let records: AuditEvent[] = [];
    await vi.waitFor(
      async () => {
        records = await seeded.recordsOf(answer.requestId);
        expect(records).not.toEqual([]);
      },
      { timeout: 5_000, interval: 50 },
    );
    return records;
  };

  /** What the front desk may match by: everything but the national identifier, of which it sees the last four. */
  const { nationalIdentifier: _, ...seenByFrontDesk } = ada;

  beforeAll(async () => {
    seeded = await startSeededSystem();
    frontDesk = await seeded.as({ role: 'front_desk' });
    const registered = await frontDesk(REGISTER, { input: ada });
    expect(registered.errors).toBeUndefined();
    adaId = registered.data!.registerPatient.id;
  });
  afterAll(() => seeded?.close());

  it('finds a registered patient from a mistyped given name and a day/month swap, graded and explained', async () => {
    const answer = await frontDesk(MATCH, {
      input: { ...seenByFrontDesk, name: { family: 'Quennell-Hartigan', given: ['Adelaid'] }, birthDate: '1981-11-03' },
    });
    expect(answer.errors).toBeUndefined();
    const [best] = answer.data!.patientMatch;
    expect(best.patient.id).toBe(adaId);
    expect(['CERTAIN', 'PROBABLE']).toContain(best.grade);
    expect(best.score).toBeGreaterThan(0.9);
    const agreement = Object.fromEntries(best.fields.map((field: { field: string; agreement: string }) => [field.field, field.agreement]));
    expect(agreement).toMatchObject({ given: 'close', family: 'exact', birthDate: 'near', identifier: 'missing', phone: 'exact' });
    // Minimized as any read by the front desk: the national identifier's last four only.
    expect(best.patient.nationalIdentifier).toBe('***-**-9083');
    // No field value travels in the explanation.
    expect(JSON.stringify(best.fields)).not.toMatch(/quennell|adelaid|1981|9083|wexford/i);
    expect(patientsNamed(await recordsOf(answer))).toEqual([adaId]);
  });

  it('answers certain matches only when asked, and nothing for an unknown person', async () => {
    const exact = await frontDesk(MATCH, { input: seenByFrontDesk, onlyCertain: true });
    expect(exact.data!.patientMatch.map((match: { patient: { id: string }; grade: string }) => [match.patient.id, match.grade])).toEqual([[adaId, 'CERTAIN']]);
    const nobody = await frontDesk(MATCH, {
      input: { name: { family: 'Zzyzx-Omnibus', given: ['Quillon'] }, birthDate: '1901-01-01', gender: 'OTHER' },
    });
    expect(nobody.data!.patientMatch).toEqual([]);
  });

  it('refuses to match more finely than the caller sees, and bad counts, with stable reasons', async () => {
    // admin sees names as initials and birth dates as a year; the front desk sees identifiers' last four.
    const admin = await seeded.as({ role: 'admin' });
    const byName = await admin(MATCH, { input: { name: ada.name } });
    expect(codesOf(byName)).toEqual(['FORBIDDEN']);
    expect(byName.errors![0]!.extensions).toMatchObject({ reason: 'SEARCH_FINER_THAN_VISIBLE', field: 'input.name' });
    const byIdentifier = await frontDesk(MATCH, { input: { nationalIdentifier: ada.nationalIdentifier } });
    expect(byIdentifier.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SEARCH_FINER_THAN_VISIBLE', field: 'input.nationalIdentifier' });
    const clinician = await seeded.as({ role: 'clinician' });
    const tooMany = await clinician(MATCH, { input: { name: ada.name }, count: 0 });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'count' });
    expect(JSON.stringify([byName, byIdentifier, tooMany].map((answer) => answer.errors))).not.toMatch(/quennell|adelaide|721-44/i);
  });

  it('lets a caller that may register ask for certain matches by every field, as registration checks them; nothing else by what it does not see', async () => {
    // The onboarding workflow sees no identifier, phone or address whole, and registers patients.
    const onboarding = await seeded.as({ role: 'onboarding_service' });
    const certain = await onboarding(MATCH_IDS, { input: ada, onlyCertain: true });
    expect(certain.errors).toBeUndefined();
    expect(certain.data!.patientMatch).toEqual([{ grade: 'CERTAIN', patient: { id: adaId } }]);
    const graded = await onboarding(MATCH_IDS, { input: ada });
    expect(graded.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SEARCH_FINER_THAN_VISIBLE', field: 'input.nationalIdentifier' });
    // A data steward may not register: it matches by what it sees, certain or not.
    const steward = await seeded.as({ role: 'data_steward' });
    const byIdentifier = await steward(MATCH_IDS, { input: { name: ada.name, birthDate: ada.birthDate, nationalIdentifier: ada.nationalIdentifier }, onlyCertain: true });
    expect(byIdentifier.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SEARCH_FINER_THAN_VISIBLE', field: 'input.nationalIdentifier' });
  });

  it('lets a clinician, who sees national identifiers whole, match by one, a transposition tolerated', async () => {
    const clinician = await seeded.as({ role: 'clinician' });
    const answer = await clinician(MATCH, { input: { nationalIdentifier: '721-44-9038', birthDate: ada.birthDate } });
    const [best] = answer.data!.patientMatch;
    expect(best.patient.id).toBe(adaId);
    expect(best.fields.find((field: { field: string }) => field.field === 'identifier').agreement).toBe('near');
  });
});
