import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';

/**
 * A person as the matcher compares them: every value folded (lower case, no accents, no
 * punctuation), null where unknown. Source records of any shape (a patient, a FEBRL row) are
 * turned into this with `matchRecord`.
 */
export interface MatchRecord {
  id: string;
  given: string | null;
  /** Given names after the first, for initials and swaps. */
  middle: string | null;
  family: string | null;
  /** Generational suffix: jr, sr, ii, iii, iv. */
  suffix: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  gender: string | null;
  /** Letters and digits only. */
  identifier: string | null;
  /** Digits only, at most the last ten. */
  phone: string | null;
  addressLine: string | null;
  city: string | null;
  postcode: string | null;
  state: string | null;
}

export interface RawPerson {
  id: string;
  given?: readonly string[] | string | null;
  family?: string | null;
  birthDate?: string | null;
  gender?: string | null;
  identifier?: string | null;
  phone?: string | null;
  addressLine?: string | null;
  city?: string | null;
  postcode?: string | null;
  state?: string | null;
}

/** Letters a transliteration writes differently, before accents are dropped. */
const letters: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', þ: 'th', ð: 'd', ı: 'i' };

const ALREADY_FOLDED = /^[a-z0-9-]+(?: [a-z0-9-]+)*$/;

/** Lower case, accents and punctuation gone, German umlauts spelt out as they are transliterated (ü → ue would lose "muller"; both stay close by Jaro–Winkler). */
export function fold(text: string | null | undefined): string | null {
  if (!text) return null;
  const lower = text.toLowerCase();
  // Most values are folded already but for case: words of letters, digits and hyphens, one space apart.
  if (ALREADY_FOLDED.test(lower)) return lower;
  const folded = lower
    .replace(/[ßæœøłđþðı]/g, (c) => letters[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9 -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return folded === '' ? null : folded;
}

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'junior', 'senior']);
const suffixCode = (word: string) => (word === 'junior' ? 'jr' : word === 'senior' ? 'sr' : word);

/** Splits a generational suffix off a name's words. */
function withoutSuffix(words: string[]): { words: string[]; suffix: string | null } {
  const last = words.at(-1);
  if (words.length > 1 && last && SUFFIXES.has(last)) return { words: words.slice(0, -1), suffix: suffixCode(last) };
  return { words, suffix: null };
}

const digits = (text: string | null | undefined) => (text ? text.replace(/\D/g, '') : '');

export function matchRecord(person: RawPerson): MatchRecord {
  const givenText = Array.isArray(person.given) ? person.given.join(' ') : ((person.given as string | null | undefined) ?? null);
  const given = withoutSuffix((fold(givenText) ?? '').split(' ').filter(Boolean));
  const family = withoutSuffix((fold(person.family) ?? '').split(' ').filter(Boolean));
  const identifier = person.identifier ? person.identifier.toLowerCase().replace(/[^a-z0-9]/g, '') : '';
  const phone = digits(person.phone).slice(-10);
  const birthDate = person.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(person.birthDate) ? person.birthDate : null;
  return {
    id: person.id,
    given: given.words[0] ?? null,
    middle: given.words.slice(1).join(' ') || null,
    family: family.words.join(' ') || null,
    suffix: family.suffix ?? given.suffix,
    birthDate,
    gender: fold(person.gender),
    identifier: identifier || null,
    phone: phone.length >= 6 ? phone : null,
    addressLine: fold(person.addressLine),
    city: fold(person.city),
    postcode: fold(person.postcode)?.replace(/ /g, '') ?? null,
    state: fold(person.state),
  };
}

const phoneticCache = new Map<string, [string, string]>();

/** Double Metaphone codes of a folded word (cached: names repeat). */
export function phonetic(word: string): [string, string] {
  let codes = phoneticCache.get(word);
  if (!codes) {
    codes = doubleMetaphone(word.replace(/[^a-z]/g, ''));
    if (phoneticCache.size > 200_000) phoneticCache.clear();
    phoneticCache.set(word, codes);
  }
  return codes;
}
