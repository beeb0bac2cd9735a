import { describe, expect, it } from 'vitest';
import { applyTransform } from '../../gateway/minimization/transforms.ts';
import type { Transform } from '../../policies/minimization.ts';

const cases: [Transform, unknown, unknown][] = [
  // a birth date to its year, still a string
  ['year', '1980-04-12', '1980'],
  ['year', '1980', '1980'],
  ['year', 'not a date', '***'],
  // each word of a name part to its initial
  ['initials', 'Jane Ann Doe', 'J. A. D.'],
  ['initials', ['jane', 'Ann'], ['J.', 'A.']],
  ['initials', 'Émile  Zola', 'É. Z.'],
  // all but the last four characters masked, separators kept; four or fewer are withheld whole
  ['last4', '123-45-6789', '***-**-6789'],
  ['last4', 'AB123456', '****3456'],
  ['last4', '6789', '***'],
  // the first three characters of a postal code
  ['postal_prefix3', '62704', '627'],
  ['postal_prefix3', '62704-1234', '627'],
  ['postal_prefix3', 'SW1A 1AA', 'SW1'],
  // withheld
  ['mask', '+1 217 555 0100', '***'],
  ['redact', '123-45-6789', null],
  ['redact', ['a', 'b'], null],
  // null stays null
  ['initials', null, null],
];

describe('applyTransform', () => {
  it.each(cases)('%s of %j is %j', (transform, value, expected) => {
    expect(applyTransform(transform, value)).toEqual(expected);
  });
});
