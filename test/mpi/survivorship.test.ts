// Survivorship (policies/survivorship.ts) as a steward's merge applies it: which record's value the
// survivor keeps, field by field, and what an unmerge would give back.
import { describe, expect, it } from 'vitest';
import { applySurvivorship, type MergeSide } from '../../subgraphs/patients/survivorship.ts';

const side = (values: Partial<MergeSide['values']>, updatedAt: string): MergeSide => ({
  values: {
    name: { family: 'Okafor', given: ['Ngozi'] },
    birthDate: '1984-03-02',
    gender: 'FEMALE',
    nationalIdentifier: null,
    telecom: [],
    address: null,
    ...values,
  },
  updatedAt: new Date(updatedAt),
});

const home = { line: ['1 Elm Street'], city: 'Madison', postalCode: '53703', country: 'US' };
const moved = { line: ['7 Birch Road'], city: 'Verona', postalCode: '53593', country: 'US' };
const phone = [{ system: 'PHONE' as const, value: '+1 555 0100', use: 'MOBILE' as const }];

describe('survivorship', () => {
  it("keeps the survivor's name, birth date and gender whatever the other record says", () => {
    const survivor = side({}, '2026-01-01T00:00:00Z');
    const merged = side({ name: { family: 'Okafor-Bell', given: ['Ngozi'] }, birthDate: '1984-02-03', gender: 'UNKNOWN' }, '2026-06-01T00:00:00Z');
    expect(applySurvivorship(survivor, merged)).toEqual({ before: {}, after: {} });
  });

  it("fills a national identifier the survivor lacks, and never replaces one it has", () => {
    const merged = side({ nationalIdentifier: '123-45-6789' }, '2020-01-01T00:00:00Z');
    expect(applySurvivorship(side({}, '2026-01-01T00:00:00Z'), merged)).toEqual({ before: { nationalIdentifier: null }, after: { nationalIdentifier: '123-45-6789' } });
    expect(applySurvivorship(side({ nationalIdentifier: '987-65-4321' }, '2020-01-01T00:00:00Z'), side({ nationalIdentifier: '123-45-6789' }, '2026-01-01T00:00:00Z')).after).toEqual({});
  });

  it('takes address and phones from the record updated last, and from the other where that one has none', () => {
    const older = side({ address: home, telecom: phone }, '2025-01-01T00:00:00Z');
    const newer = side({ address: moved }, '2026-01-01T00:00:00Z');
    expect(applySurvivorship(older, newer)).toEqual({ before: { address: home }, after: { address: moved } });
    expect(applySurvivorship(newer, older)).toEqual({ before: { telecom: [] }, after: { telecom: phone } });
  });
});
