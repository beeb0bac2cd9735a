import { describe, expect, it } from 'vitest';
import { grantsScope } from '../../platform/authorization/smart-scopes.ts';

/** Required scope: the caller scopes that grant it, and some that look close but do not. */
const cases: Record<string, { grantedBy: string[]; notBy: string[] }> = {
  'user/Patient.r': {
    grantedBy: ['user/Patient.rs', 'user/Patient.cruds', 'user/*.r', 'user/Patient.read'],
    notBy: ['patient/Patient.rs', 'user/Patient.s', 'user/Patient.write', 'system/*.cruds'],
  },
  'user/*.r': { grantedBy: ['user/*.rs'], notBy: ['user/Patient.rs'] },
  'system/Invoice.cud': { grantedBy: ['system/*.*', 'system/Invoice.write'], notBy: ['system/Invoice.cu'] },
  'user/Observation.rs?category=laboratory': {
    grantedBy: ['user/Observation.rs', 'user/Observation.rs?category=laboratory'],
    notBy: ['user/Observation.rs?category=vital-signs'],
  },
  'user/Observation.r': { grantedBy: ['user/Observation.r'], notBy: ['user/Observation.rs?category=vital-signs'] },
  admin: { grantedBy: ['admin'], notBy: ['administrator', 'user/*.cruds'] },
};

describe('grantsScope', () => {
  it.each(Object.entries(cases))('%s', (required, { grantedBy, notBy }) => {
    for (const held of grantedBy) expect(grantsScope([held], required), held).toBe(true);
    for (const held of notBy) expect(grantsScope([held], required), held).toBe(false);
  });
});
