import type { Transform } from '../../policies/minimization.ts';

/** What a withheld non-null string becomes; also what a value a transform cannot read becomes. */
export const WITHHELD = '***';

const alphanumeric = /[\p{L}\p{N}]/u;

/** "123-45-6789" to "***-**-6789": separators kept, so the format is still recognisable. */
function last4(value: string): string {
  const characters = Array.from(value);
  let kept = characters.filter((character) => alphanumeric.test(character)).length;
  // Four characters or fewer would be shown whole: withhold them instead.
  if (kept <= 4) return WITHHELD;
  return characters.map((character) => (alphanumeric.test(character) && kept-- > 4 ? '*' : character)).join('');
}

/** "Mary Ann" to "M. A.". */
const initials = (value: string) =>
  value
    .split(/\s+/u)
    .map((word) => Array.from(word)[0])
    .filter(Boolean)
    .map((initial) => `${initial!.toUpperCase()}.`)
    .join(' ');

/** "62704-1234" to "627", "SW1A 1AA" to "SW1". */
const postalPrefix3 = (value: string) => Array.from(value).filter((character) => alphanumeric.test(character)).slice(0, 3).join('');

const year = (value: string) => /^\d{4}(?=-|$)/.exec(value)?.[0] ?? WITHHELD;

const ofString: Record<Exclude<Transform, 'redact'>, (value: string) => string> = {
  year,
  postal_prefix3: postalPrefix3,
  last4,
  initials,
  mask: () => WITHHELD,
};

/** A field's value minimized; lists item by item, null stays null. */
export function applyTransform(transform: Transform, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (transform === 'redact') return null;
  if (Array.isArray(value)) return value.map((item) => applyTransform(transform, item));
  return typeof value === 'string' ? ofString[transform](value) : WITHHELD;
}
