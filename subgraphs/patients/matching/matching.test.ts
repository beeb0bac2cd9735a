import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidatePairs, keysOf } from './blocking.ts';
import { compareBirthDate, compareFamily, compareGiven, compareIdentifier, comparePhone, comparators, luhnValid } from './comparators.ts';
import { errorBreakdown } from './breakdown.ts';
import { pairQuality, predictsMatch } from './evaluate.ts';
import { febrlDirectory, febrlEntity, readFebrl } from './febrl.ts';
import { linkRecords } from './matcher.ts';
import { populationClasses } from './model.ts';
import { fold, matchRecord } from './record.ts';
import { registryMatcher, statisticsOf } from './trained.ts';
import { generateHardSet } from './synthetic.ts';

describe('comparators', () => {
  it('tells nicknames, transliterations and typos from different given names', () => {
    expect(compareGiven('william', 'bill')).toBe(3);
    expect(compareGiven('mohammed', 'muhammad')).toBe(3);
    expect(compareGiven('jonathon', 'jonathan')).toBe(3);
    expect(compareGiven('j', 'john')).toBe(1);
    expect(compareGiven('edward', 'amelia')).toBe(0);
    expect(compareGiven(null, 'amelia')).toBeNull();
  });

  it('takes a given name a keystroke from the other as similar, even in its first letter', () => {
    // Missed on the generated set: Jaro–Winkler gives 0.83 when the first letter is the one mistyped.
    expect(compareGiven('iars', 'lars')).toBe(2);
    expect(compareGiven('tmil', 'emil')).toBe(2);
    expect(compareGiven('emil', 'emma')).toBe(0);
  });

  it('takes a nickname a keystroke from its name\'s group as similar, so a nickname with a typo is not a twin\'s name', () => {
    // Missed on the generated set: held as twins (one family, one birth date, given names unlike).
    const levels: Array<[string, string, number]> = [['otm', 'thomas', 2], ['anhtony', 'tony', 2], ['becqky', 'rebecca', 2], ['sasha', 'aleander', 2], ['emil', 'emma', 0], ['tom', 'dick', 0]];
    for (const [a, b, level] of levels) expect([a, b, compareGiven(a, b)]).toEqual([a, b, level]);
  });

  it('compares swapped names whichever record has them swapped', () => {
    const given = comparators().find((comparator) => comparator.field === 'given')!;
    const family = comparators().find((comparator) => comparator.field === 'family')!;
    // FEBRL set 3: the swapped record's given name (its family) is mistyped.
    const swapped = matchRecord({ id: 'a', given: ['Tippins'], family: 'Hacry' });
    const straight = matchRecord({ id: 'b', given: ['Harry'], family: 'Tippins' });
    for (const [a, b] of [[swapped, straight], [straight, swapped]] as const) {
      expect(given.compare(a, b)).toBe(2);
      expect(family.compare(a, b)).toBe(3);
    }
  });

  it('folds accents and finds compound family names', () => {
    expect(fold('Müller-Lüdenscheidt ')).toBe('muller-ludenscheidt');
    expect(compareFamily(fold('Nguyễn'), 'nguyen')).toBe(3);
    expect(compareFamily('smith-jones', 'jones')).toBe(2);
  });

  it('takes a day/month swap and a single-digit typo in a birth date as near, two such errors as far, a generation as different', () => {
    const levels: Array<[string, string, number]> = [
      ['1980-04-12', '1980-04-12', 3],
      ['1980-04-12', '1980-12-04', 2],
      ['1980-04-12', '1981-04-12', 2],
      ['1980-04-12', '1980-04-21', 2],
      ['1980-04-12', '1908-04-12', 2],
      // Missed on the generated set: a duplicate whose date carries two errors.
      ['1980-04-12', '1981-04-13', 1],
      ['1983-01-12', '1982-12-01', 1],
      ['1994-06-04', '1984-04-06', 1],
      ['1980-04-12', '2008-09-30', 0],
      ['1960-03-15', '1987-11-02', 0],
    ];
    for (const [a, b, level] of levels) expect([a, b, compareBirthDate(a, b)]).toEqual([a, b, level]);
    expect(compareBirthDate('1980-04-12', null)).toBeNull();
  });

  it('takes a mistyped identifier as near unless both pass the check digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398731')).toBe(false);
    expect(compareIdentifier('79927398713', '79927398731', luhnValid)).toBe(1);
    expect(compareIdentifier('79927398713', '79927398713', luhnValid)).toBe(2);
    // The one transposition Luhn cannot see (09 and 90): both valid, so two numbers, two people.
    expect([luhnValid('1209000007'), luhnValid('1290000007')]).toEqual([true, true]);
    expect(compareIdentifier('1209000007', '1290000007', luhnValid)).toBe(0);
    expect(compareIdentifier('1209000007', '1290000007')).toBe(1);
    expect(compareIdentifier('1209000007', '5551234567')).toBe(0);
  });

  it('takes an identifier failing its check digit and more than a keystroke from the other as unknown, not different', () => {
    // Two copies of 79927398713, each with a digit mistyped: two keystrokes apart, neither valid.
    expect(compareIdentifier('79927398710', '19927398713', luhnValid)).toBeNull();
    // Two valid numbers far apart are two people.
    expect(compareIdentifier('79927398713', '1209000007', luhnValid)).toBe(0);
  });

  it('counts a move once: the city is not compared when address line and postcode both changed', () => {
    const city = comparators().find((comparator) => comparator.field === 'city')!;
    const before = matchRecord({ id: 'a', addressLine: '12 Oak St', city: 'Salem', postcode: '97301' });
    const moved = matchRecord({ id: 'b', addressLine: '40 Pine Rd', city: 'Dayton', postcode: '45402' });
    const retyped = matchRecord({ id: 'c', addressLine: '12 Oak St', city: 'Dayton', postcode: '97301' });
    expect(city.compare(before, moved)).toBeNull();
    expect(city.compare(before, retyped)).toBe(0);
  });

  it('matches a phone with and without its country code', () => {
    const a = matchRecord({ id: 'a', phone: '+1 555 123 4567' }).phone;
    expect(comparePhone(a, '5551234567')).toBe(2);
  });
});

describe('blocking', () => {
  it('brings a married name with a day/month swap together through the identifier or the given initial', () => {
    const before = matchRecord({ id: 'a', given: ['Maria'], family: 'Rossi', birthDate: '1990-03-07', identifier: '123456789', postcode: '62704' });
    const after = matchRecord({ id: 'b', given: ['Maria'], family: 'Bianchi', birthDate: '1990-07-03', identifier: '123456798', postcode: '62704' });
    expect(candidatePairs([before, after]).pairs).toEqual([[0, 1]]);
    expect(keysOf(before).some((key) => key.startsWith('identifierNear:'))).toBe(true);
  });

  it('brings a married name with a mistyped given name and birth date together through the phone and birth year', () => {
    const before = matchRecord({ id: 'a', given: ['Aisha'], family: 'Martinez', birthDate: '1981-09-14', phone: '+1 555 514 8316' });
    const after = matchRecord({ id: 'b', given: ['Xaisha'], family: 'Schroder', birthDate: '1981-09-17', phone: '555 514 8316' });
    expect(candidatePairs([before, after]).pairs).toEqual([[0, 1]]);
  });
});

describe('the generated set\'s error breakdown', () => {
  it('puts every missed true pair under blocking or scoring, and every false match under a relation', () => {
    const hard = generateHardSet({ seed: 5, households: 300 });
    const linkage = linkRecords(hard.records, { identifierCheckDigit: true });
    const predicted = linkage.scored.filter(({ score }) => predictsMatch(score.grade));
    const quality = pairQuality(hard.entities, predicted);
    const breakdown = errorBreakdown(hard, linkage.scored);
    const missed = breakdown.missedByErrorCount.reduce((sum, row) => sum + row.notCompared + row.scoredLow, 0);
    expect(missed).toBe(quality.truePairs - quality.correct);
    expect(breakdown.missedByErrorCount.reduce((sum, row) => sum + row.pairs, 0)).toBe(quality.truePairs);
    const falseMatches = breakdown.falseMatches.reduce((sum, row) => sum + row.certain + row.probable, 0);
    expect(falseMatches).toBe(quality.predicted - quality.correct);
    // A person's first record carries no error; every duplicate at least one.
    expect(hard.errors.filter((errors) => errors.length > 0).length).toBe(hard.records.length - new Set(hard.entities).size);
  });
});

describe('linkage without labels', () => {
  it('never grades a twin or a parent and child sharing a name certain, and grades few false matches', () => {
    const hard = generateHardSet({ seed: 7, households: 600 });
    const linkage = linkRecords(hard.records, { identifierCheckDigit: true });
    const relatives = new Set(hard.relatives.flatMap(({ a, b }) => [`${a}|${b}`, `${b}|${a}`]));
    const certainRelatives = linkage.scored.filter(({ a, b, score }) => score.grade === 'CERTAIN' && relatives.has(`${hard.entities[a]}|${hard.entities[b]}`));
    expect(certainRelatives).toEqual([]);
    const certain = pairQuality(hard.entities, linkage.scored.filter(({ score }) => score.grade === 'CERTAIN'));
    expect(certain.precision).toBeGreaterThanOrEqual(0.995);
    const found = pairQuality(hard.entities, linkage.scored.filter(({ score }) => predictsMatch(score.grade)));
    expect(found.recall).toBeGreaterThan(0.85);
    // Relatives sharing a home, differing on who they are, without identifiers to vouch: not predicted.
    expect(found.precision).toBeGreaterThanOrEqual(0.998);
  });

  it('finds a duplicate that moved and left out identifier and phone: names and birth date agree, nothing else is known alike', () => {
    // Missed on the generated set: EM's strangers are those blocking joined by name and birth date,
    // so agreeing on them was weak evidence there, and a move outweighed it.
    const { records } = generateHardSet({ seed: 5, households: 600 });
    const person = records.find((record) => record.family === 'garcia' && record.identifier && record.phone)!;
    const moved = { ...person, id: 'moved', identifier: null, phone: null, addressLine: '4 nowhere rd', city: 'elsewhere', postcode: '11111' };
    const { scored } = linkRecords([...records, moved], { identifierCheckDigit: true });
    const pair = scored.find(({ a, b }) => a === records.indexOf(person) && b === records.length)!;
    expect(['CERTAIN', 'PROBABLE']).toContain(pair.score.grade);
  });

  it('finds a duplicate whose birth date carries two errors, at home, without identifier, and never grades it certain', () => {
    const { records } = generateHardSet({ seed: 5, households: 600 });
    const person = records.find((record) => record.family === 'garcia' && record.phone && record.birthDate?.endsWith('-11'))!;
    const [year, month, day] = person.birthDate!.split('-');
    // Day and month swapped, and a digit of the year mistyped.
    const typed = { ...person, id: 'typed', identifier: null, birthDate: `${year!.slice(0, 3)}${(Number(year![3]) + 1) % 10}-${day}-${month}` };
    const { scored } = linkRecords([...records, typed], { identifierCheckDigit: true });
    const pair = scored.find(({ a, b }) => a === records.indexOf(person) && b === records.length)!;
    expect(pair.score.grade).toBe('PROBABLE');
    expect(pair.score.capped).toBe('BIRTH_DATE_DIFFERS');
  });

  const febrl = join(febrlDirectory() ?? '.', 'dataset1.csv');
  it.runIf(existsSync(febrl))('finds the FEBRL set 1 duplicates with no false match', () => {
    const records = readFebrl(febrl);
    const linkage = linkRecords(records);
    const quality = pairQuality(records.map((record) => febrlEntity(record.id)), linkage.scored.filter(({ score }) => predictsMatch(score.grade)));
    expect(quality.precision).toBe(1);
    expect(quality.f1).toBeGreaterThanOrEqual(0.998);
  });

  it('grades every candidate pair as `score` does when a batch skips the pairs that cannot be possible matches', () => {
    const { records } = generateHardSet({ seed: 5, households: 600 });
    const { pairs } = candidatePairs(records);
    // With the set's own value frequencies, and as the registry's matcher is (without).
    for (const matcher of [linkRecords(records).matcher, registryMatcher()]) {
      let skipped = 0;
      for (const [a, b] of pairs) {
        const full = matcher.score(records[a]!, records[b]!, { explain: false });
        const batch = matcher.scoreUnlessUnlikely(records[a]!, records[b]!);
        if (batch === null) {
          skipped++;
          expect(full.grade).toBeNull();
        } else expect([batch.grade, batch.probability]).toEqual([full.grade, full.probability]);
      }
      expect(skipped).toBeGreaterThan(pairs.length / 4);
    }
  });

  it('explains a score field by field, a missing value weighing nothing', () => {
    const records = generateHardSet({ seed: 3, households: 200 }).records;
    const { matcher } = linkRecords(records, { identifierCheckDigit: true });
    const record = records.find((candidate) => candidate.identifier && candidate.phone)!;
    const score = matcher.score(record, { ...record, id: 'copy', phone: null });
    expect(score.grade).toBe('CERTAIN');
    expect(score.fields.find((field) => field.field === 'phone')).toEqual({ field: 'phone', agreement: 'missing', weight: 0 });
    expect(score.fields.find((field) => field.field === 'identifier')?.agreement).toBe('exact');
  });
});

describe('the registry\'s matcher', () => {
  // A registry of a million, as the generated one at that size counts its values (bench:match:scale).
  const million = {
    records: 1_000_000,
    agreement: { given: 0.0053, family: 0.00042, birthDate: 0.000037, gender: 0.5, identifier: 1e-12, phone: 1e-6, addressLine: 0.0006, city: 0.0011, postcode: 0.000011, state: 1 },
  };
  const olivia = { id: 'a', given: ['Olivia'], family: 'Kelbor', birthDate: '1971-03-14', gender: 'female', addressLine: '12 Oak St', city: 'Salem 4', postcode: '100412', state: 'ST' };

  it('does not take two strangers of one postcode, differing on all else, for one person', () => {
    const a = matchRecord({ ...olivia, identifier: '412009871', phone: '555 201 3344' });
    const b = matchRecord({ id: 'b', given: ['Thandiwe'], family: 'Rudfenel', birthDate: '1990-11-02', gender: 'female', phone: '555 877 1200', addressLine: '930 River Rd', city: 'Austin 3', postcode: '100412', state: 'ST' });
    expect(registryMatcher(million).score(a, b).grade).toBeNull();
  });

  it('does not take two strangers sharing a given name and birth date, nothing else, for one person among a million', () => {
    const a = matchRecord(olivia);
    const stranger = matchRecord({ ...olivia, id: 'b', family: 'Marvik', addressLine: '5 Elm St', city: 'Dayton 7', postcode: '200100' });
    expect(['POSSIBLE', null]).toContain(registryMatcher(million).score(a, stranger).grade);
    // One person who moved keeps her surname: still found.
    const moved = matchRecord({ ...olivia, id: 'c', addressLine: '5 Elm St', city: 'Dayton 7', postcode: '200100' });
    expect(['CERTAIN', 'PROBABLE']).toContain(registryMatcher(million).score(a, moved).grade);
  });

  it('does not count the agreement of a registry\'s duplicates as chance: an identifier only duplicates share is strong evidence', () => {
    // Two records drawn at random share an identifier only when they are one person: that agreement
    // is the match class's, and left to the unrelated class it made a shared identifier worth nothing.
    const match = { name: 'match' as const, share: 0.5, probabilities: [[0.2, 0.8]] };
    const unrelated = { name: 'unrelated' as const, share: 0.5, probabilities: [[0.99, 0.01]] };
    const records = 10_000;
    const pairs = (records * (records - 1)) / 2;
    const duplicatesAgreeing = (0.5 * 2 * records * 0.8) / pairs;
    const [, scored] = populationClasses([match, unrelated], 2, records, [[1 - duplicatesAgreeing, duplicatesAgreeing]]);
    expect(scored!.probabilities[0]![1]).toBeLessThan(duplicatesAgreeing / 100);
  });

  it('takes a decade mistyped in a birth date for a typo, not a generation, and a father and son of one name for a generation', () => {
    const karim = { id: 'a', given: ['Karim'], family: 'Smith', gender: 'male', phone: '555 185 4664', addressLine: '12 Oak St', city: 'Salem', postcode: '97301', state: 'ST' };
    const score = (first: string, second: string) => registryMatcher().score(matchRecord({ ...karim, birthDate: first }), matchRecord({ ...karim, id: 'b', birthDate: second }));
    // Missed on the generated set: 1953 typed 1923, and a day mistyped, was held as a father and son.
    expect(score('1953-02-05', '1923-02-06').capped).toBe('BIRTH_DATE_DIFFERS');
    expect(score('1960-02-05', '1985-02-05').capped).toBe('GENERATION');
  });

  it('counts a registry\'s statistics from its records', () => {
    const { records } = generateHardSet({ seed: 3, households: 100 });
    const statistics = statisticsOf(records);
    expect(statistics.records).toBe(records.length);
    expect(statistics.agreement.gender).toBeCloseTo(0.5, 1);
    expect(statistics.agreement.birthDate).toBeLessThan(0.01);
  });
});
