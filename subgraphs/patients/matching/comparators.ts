import { limited as damerauLevenshteinWithin } from 'talisman/metrics/damerau-levenshtein.js';
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { nicknameEquivalent, nicknameEquivalentOneTypoApart } from './nicknames.ts';
import { phonetic, type MatchRecord } from './record.ts';

/**
 * How one field of two records agrees, as a level: 0 is disagreement, the last level exact
 * agreement, null a value missing on either side (neither for nor against). The model learns
 * what each level is worth; comparators only tell levels apart.
 */
export type Level = number | null;

export interface FieldComparator {
  field: string;
  /** Names of the levels, lowest agreement first. */
  levels: readonly string[];
  compare(a: MatchRecord, b: MatchRecord): Level;
  /** The value compared: how often two records share it is exact agreement's u. */
  value(record: MatchRecord): string | null;
  /** Whether exact agreement is adjusted by the value's frequency (a common name is weaker evidence). */
  frequencyAdjusted?: boolean;
  /** Shared within a household (surname, address, phone): agreement here is also what relatives have. */
  household?: boolean;
  /**
   * For a comparator costlier than an equality test: the highest level the pair can reach, told
   * without comparing (exact agreement is equal values), -1 when a value is missing. A batch
   * leaves out the comparison of a pair that could not score a possible match even at that level.
   */
  upTo?(a: MatchRecord, b: MatchRecord): number;
}

const samePhonetic = (a: string, b: string) => {
  const [a1, a2] = phonetic(a);
  const [b1, b2] = phonetic(b);
  return a1 !== '' && (a1 === b1 || a1 === b2 || (a2 !== '' && (a2 === b1 || a2 === b2)));
};

/** Two numbers or codes one keystroke apart: one character changed, added, dropped, or two adjacent swapped. */
export const oneEditApart = (a: string, b: string) => Math.abs(a.length - b.length) <= 1 && !threeMismatchesApart(a, b) && damerauLevenshteinWithin(1, a, b) <= 1;

/** Two values of one length differing at three places or more: more than one edit, told without the edit distance's arrays (most pairs compared are strangers). */
function threeMismatchesApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i) && ++mismatches > 2) return true;
  return false;
}

/** Letter counts of the word being compared (ASCII: folded text), kept between calls. */
const letterCounts = new Int32Array(128);

/**
 * Jaro–Winkler similarity of two words, or 0 when it cannot reach `floor`: Jaro counts matching
 * letters, which are at most the letters the two words have in common, and Winkler's prefix adds at
 * most its share of what is left; most pairs compared are strangers, told apart by that count alone.
 */
export function jaroWinklerFrom(floor: number, a: string, b: string): number {
  if (a === b) return 1;
  let common = 0;
  let ascii = true;
  for (let i = 0; i < a.length; i++) {
    const code = a.charCodeAt(i);
    if (code > 127) ascii = false;
    else letterCounts[code]!++;
  }
  for (let i = 0; ascii && i < b.length; i++) {
    const code = b.charCodeAt(i);
    if (code > 127) ascii = false;
    else if (letterCounts[code]! > 0) {
      letterCounts[code]!--;
      common++;
    }
  }
  for (let i = 0; i < a.length; i++) {
    const code = a.charCodeAt(i);
    if (code <= 127) letterCounts[code] = 0;
  }
  if (ascii) {
    let prefix = 0;
    while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
    const jaro = common === 0 ? 0 : (common / a.length + common / b.length + 1) / 3;
    if (jaro + prefix * 0.1 * (1 - jaro) < floor - 1e-9) return 0;
  }
  return jaroWinkler(a, b);
}

/** given names: different, initial only, similar (sound alike, Jaro–Winkler ≥ 0.85, one keystroke apart, or a nickname a keystroke off), close (≥ 0.92) or nickname, exact. */
export function compareGiven(a: string | null, b: string | null, middleA: string | null = null, middleB: string | null = null): Level {
  if (!a || !b) return null;
  if (a === b) return 4;
  const alike = jaroWinklerFrom(0.85, a, b);
  if (alike >= 0.92 || nicknameEquivalent(a, b)) return 3;
  // One keystroke apart: Jaro–Winkler misses a typo in the first letter of a short name (lars, iars).
  // A nickname mistyped (otm for tom, thomas) is no twin's other name.
  if (alike >= 0.85 || samePhonetic(a, b) || (Math.min(a.length, b.length) >= 4 && oneEditApart(a, b)) || nicknameEquivalentOneTypoApart(a, b)) return 2;
  // A first name entered as the middle one, or a name given as its initial.
  if ((middleA && middleA.split(' ').includes(b)) || (middleB && middleB.split(' ').includes(a))) return 3;
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) return 1;
  return 0;
}

const compound = /[ -]/;

/** Whether two names, one of them of several parts, share a part of two letters or more (split only then: most pairs are one word each). */
function sharePart(a: string, b: string): boolean {
  const partsB = b.split(/[ -]/);
  return a.split(/[ -]/).some((part) => part.length > 1 && partsB.includes(part));
}

/** family names: different, sound alike, close or one part of a compound name, exact. */
export function compareFamily(a: string | null, b: string | null): Level {
  if (!a || !b) return null;
  if (a === b) return 3;
  if (jaroWinklerFrom(0.92, a, b) >= 0.92 || (compound.test(a) || compound.test(b) ? sharePart(a, b) : false)) return 2;
  if (samePhonetic(a, b)) return 1;
  return 0;
}

/**
 * birth dates: different, far (two errors: a day/month swap and a mistyped digit, or two digits
 * mistyped), near (day and month swapped, or one digit mistyped or two swapped), exact.
 */
export function compareBirthDate(a: string | null, b: string | null): Level {
  if (!a || !b) return null;
  if (a === b) return 3;
  if (dayMonthSwapped(a, b) || digitsOneEditApart(a, b)) return 2;
  return digitMismatches(a, b, false) <= 2 || digitMismatches(a, b, true) <= 1 ? 1 : 0;
}

/** Two YYYY-MM-DD dates of one year, the day of each the month of the other (compared in place: a batch compares millions). */
function dayMonthSwapped(a: string, b: string): boolean {
  for (let i = 0; i < 5; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return a.charCodeAt(5) === b.charCodeAt(8) && a.charCodeAt(6) === b.charCodeAt(9) && a.charCodeAt(8) === b.charCodeAt(5) && a.charCodeAt(9) === b.charCodeAt(6);
}

/** Digit positions of YYYY-MM-DD, in reading order. */
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** Digit positions of `a` read with its day and month swapped, in the order of DATE_DIGITS. */
const SWAPPED_DIGITS = [0, 1, 2, 3, 8, 9, 5, 6];

/** Digits of two YYYY-MM-DD dates that differ, `a` read with day and month swapped if `swapped` (in place: a batch compares millions). */
function digitMismatches(a: string, b: string, swapped: boolean): number {
  let mismatches = 0;
  for (let i = 0; i < DATE_DIGITS.length; i++) if (a.charCodeAt(swapped ? SWAPPED_DIGITS[i]! : DATE_DIGITS[i]!) !== b.charCodeAt(DATE_DIGITS[i]!)) mismatches++;
  return mismatches;
}

/** Two dates' digits one substitution or one swap of neighbours apart (what Damerau–Levenshtein ≤ 1 is for strings of one length), without allocating. */
function digitsOneEditApart(a: string, b: string): boolean {
  let first = -1;
  let second = -1;
  for (let i = 0; i < DATE_DIGITS.length; i++) {
    const at = DATE_DIGITS[i]!;
    if (a.charCodeAt(at) === b.charCodeAt(at)) continue;
    if (first < 0) first = i;
    else if (second < 0) second = i;
    else return false;
  }
  if (second < 0) return true;
  const [x, y] = [DATE_DIGITS[first]!, DATE_DIGITS[second]!];
  return second === first + 1 && a[x] === b[y] && a[y] === b[x];
}

/**
 * Identifiers: different, near, exact. Near is one keystroke apart, unless both values pass the
 * identifier's check digit: two valid numbers one edit apart are two people, not a typo. A value
 * failing its check digit was mistyped: further from the other than a keystroke, it is unknown,
 * not different (two copies of one person, each mistyped, are two keystrokes apart).
 */
export function compareIdentifier(a: string | null, b: string | null, isValid?: (value: string) => boolean): Level {
  if (!a || !b) return null;
  if (a === b) return 2;
  const bothValid = isValid !== undefined && isValid(a) && isValid(b);
  if (oneEditApart(a, b) && !bothValid) return 1;
  return isValid && !bothValid ? null : 0;
}

/** The Luhn check digit (ISO/IEC 7812), as many national and insurance numbers carry. */
export function luhnValid(value: string): boolean {
  if (!/^\d{2,}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    let digit = value.charCodeAt(value.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** phones: different, near, exact. */
export function comparePhone(a: string | null, b: string | null): Level {
  if (!a || !b) return null;
  if (a === b || (a.length !== b.length && (a.endsWith(b) || b.endsWith(a)))) return 2;
  return oneEditApart(a, b) ? 1 : 0;
}

/** Postal codes: different, near (one keystroke), exact. */
export function comparePostcode(a: string | null, b: string | null): Level {
  if (!a || !b) return null;
  if (a === b) return 2;
  return oneEditApart(a, b) ? 1 : 0;
}

interface Word {
  text: string;
  /** A house number or other word with digits: alike only when equal. */
  numeric: boolean;
}

const wordsCache = new Map<string, Word[]>();

/** The words of a text, split once per distinct text (addresses repeat across the pairs of a record). */
function wordsOf(text: string): Word[] {
  let words = wordsCache.get(text);
  if (!words) {
    words = text.split(' ').map((word) => ({ text: word, numeric: /\d/.test(word) }));
    if (wordsCache.size > 200_000) wordsCache.clear();
    wordsCache.set(text, words);
  }
  return words;
}

/**
 * Whether the words of an address line, each paired with its closest word on the other side,
 * reach `similar` on average (Jaro–Winkler): stops as soon as the words left cannot make it up.
 */
function tokensSimilar(a: string, b: string, similar: number): boolean {
  const wordsA = wordsOf(a);
  const wordsB = wordsOf(b);
  const [shorter, longer] = wordsA.length <= wordsB.length ? [wordsA, wordsB] : [wordsB, wordsA];
  let total = 0;
  for (let i = 0; i < shorter.length; i++) {
    if ((total + shorter.length - i) / longer.length < similar - 1e-9) return false;
    const word = shorter[i]!;
    let best = 0;
    for (const other of longer) {
      const alike = word.text === other.text ? 1 : word.numeric || other.numeric ? 0 : jaroWinkler(word.text, other.text);
      if (alike > best) best = alike;
    }
    total += best;
  }
  return total / longer.length >= similar;
}

/** Address lines and places: different, similar, exact. */
export function compareText(a: string | null, b: string | null, similar = 0.85): Level {
  if (!a || !b) return null;
  if (a === b) return 2;
  return tokensSimilar(a, b, similar) || jaroWinklerFrom(0.94, a, b) >= 0.94 ? 1 : 0;
}

export function compareExact(a: string | null, b: string | null): Level {
  if (!a || !b) return null;
  return a === b ? 1 : 0;
}

export interface ComparatorOptions {
  /** Identifiers carry a Luhn check digit: two valid ones a keystroke apart are different. */
  identifierCheckDigit?: boolean;
}

/**
 * The comparators, one per field. Names are compared as given, and crossed when given and
 * family were entered the other way round, whichever agrees better.
 */
export function comparators(options: ComparatorOptions = {}): FieldComparator[] {
  // Given and family are compared together, once per pair: the last pair's answer is kept.
  const lastNames: { a: MatchRecord | null; b: MatchRecord | null; levels: readonly [Level, Level] } = { a: null, b: null, levels: [null, null] };
  const names = (a: MatchRecord, b: MatchRecord) => {
    if (lastNames.a !== a || lastNames.b !== b) {
      lastNames.a = a;
      lastNames.b = b;
      lastNames.levels = namesOf(a, b);
    }
    return lastNames.levels;
  };
  const namesOf = (a: MatchRecord, b: MatchRecord): readonly [Level, Level] => {
    const straight = [compareGiven(a.given, b.given, a.middle, b.middle), compareFamily(a.family, b.family)] as const;
    if ((straight[0] ?? 0) > 0 || (straight[1] ?? 0) > 0) return straight;
    // Whose names are swapped is unknown: each way round, taken when both names agree somewhat.
    let crossed: readonly [Level, Level] = straight;
    for (const candidate of [[compareGiven(a.given, b.family), compareFamily(a.family, b.given)], [compareGiven(a.family, b.given), compareFamily(a.given, b.family)]] as const) {
      if ((candidate[0] ?? 0) >= 2 && (candidate[1] ?? 0) >= 1 && (crossed === straight || candidate[0]! + candidate[1]! > crossed[0]! + crossed[1]!)) crossed = candidate;
    }
    return crossed;
  };
  const isValid = options.identifierCheckDigit ? luhnValid : undefined;
  // The address line is compared once per pair, for its own field and for the move.
  const lastLine: { a: MatchRecord | null; b: MatchRecord | null; level: Level } = { a: null, b: null, level: null };
  const line = (a: MatchRecord, b: MatchRecord) => {
    if (lastLine.a !== a || lastLine.b !== b) {
      lastLine.a = a;
      lastLine.b = b;
      lastLine.level = compareText(a.addressLine, b.addressLine);
    }
    return lastLine.level;
  };
  // A move changes address line, city and postcode at once: one event, which the line and the
  // postcode already count against the pair; the city would count it a third time.
  const moved = (a: MatchRecord, b: MatchRecord) => comparePostcode(a.postcode, b.postcode) === 0 && line(a, b) === 0;
  // Names may be compared crossed (given with family): exact agreement either way.
  const nameUpTo = (own: 'given' | 'family', other: 'given' | 'family', exact: number) => (a: MatchRecord, b: MatchRecord) => {
    const value = a[own];
    if (!value) return -1;
    return value === b[own] || value === b[other] ? exact : exact - 1;
  };
  const textUpTo = (field: 'addressLine' | 'city') => (a: MatchRecord, b: MatchRecord) => (!a[field] || !b[field] ? -1 : a[field] === b[field] ? 2 : 1);
  return [
    { field: 'given', levels: ['different', 'initial', 'similar', 'close', 'exact'], compare: (a, b) => names(a, b)[0], value: (r) => r.given, frequencyAdjusted: true, upTo: nameUpTo('given', 'family', 4) },
    { field: 'family', levels: ['different', 'phonetic', 'close', 'exact'], compare: (a, b) => names(a, b)[1], value: (r) => r.family, frequencyAdjusted: true, household: true, upTo: nameUpTo('family', 'given', 3) },
    { field: 'birthDate', levels: ['different', 'far', 'near', 'exact'], compare: (a, b) => compareBirthDate(a.birthDate, b.birthDate), value: (r) => r.birthDate, frequencyAdjusted: true },
    { field: 'gender', levels: ['different', 'exact'], compare: (a, b) => compareExact(a.gender, b.gender), value: (r) => r.gender },
    { field: 'identifier', levels: ['different', 'near', 'exact'], compare: (a, b) => compareIdentifier(a.identifier, b.identifier, isValid), value: (r) => r.identifier },
    { field: 'phone', levels: ['different', 'near', 'exact'], compare: (a, b) => comparePhone(a.phone, b.phone), value: (r) => r.phone, frequencyAdjusted: true, household: true },
    { field: 'addressLine', levels: ['different', 'similar', 'exact'], compare: line, value: (r) => r.addressLine, frequencyAdjusted: true, household: true, upTo: textUpTo('addressLine') },
    { field: 'city', levels: ['different', 'similar', 'exact'], compare: (a, b) => (moved(a, b) ? null : compareText(a.city, b.city, 0.9)), value: (r) => r.city, frequencyAdjusted: true, household: true, upTo: textUpTo('city') },
    { field: 'postcode', levels: ['different', 'near', 'exact'], compare: (a, b) => comparePostcode(a.postcode, b.postcode), value: (r) => r.postcode, frequencyAdjusted: true, household: true },
    { field: 'state', levels: ['different', 'exact'], compare: (a, b) => compareExact(a.state, b.state), value: (r) => r.state, household: true },
  ];
}
