import { SeededRandom } from '../../../platform/demo/random.ts';
import { luhnValid } from './comparators.ts';
import { matchRecord, type MatchRecord, type RawPerson } from './record.ts';

/**
 * A harder, generated benchmark modelled on registration errors in healthcare. Households share
 * a surname, an address and often a phone; they hold twins (same birth date, different given
 * names), fathers and sons of one name (Jr./Sr.), spouses. Duplicates of some people carry one to
 * three errors each: nicknames, transliterations, typos, married names, day/month swaps and
 * single-digit date typos, missing or mistyped identifiers, moves, new phones. Seeded: the same
 * set on every run. Names are invented combinations; nobody real is in it.
 */
export interface SyntheticSet {
  records: MatchRecord[];
  /** The person each record stands for: the truth, for grading only. */
  entities: string[];
  /** Pairs of people that must never be graded one person with certainty. */
  relatives: Array<{ a: string; b: string; kind: 'twin' | 'parent-child' }>;
  /** The household each record's person lives in, for grading only: relatives and spouses share one. */
  households: number[];
  /** The registration errors each record carries (none for a person's first record), for grading only. */
  errors: RegistrationError[][];
  /** Each record's values as registered, before folding: what a registry stores. */
  registered: RawPerson[];
}

/** The kinds of registration error a duplicate may carry. */
export type RegistrationError =
  | 'nickname' | 'transliteration' | 'given typo' | 'family typo' | 'married name' | 'day/month swap' | 'date digit typo'
  | 'identifier missing' | 'identifier typo' | 'phone changed' | 'moved' | 'postcode typo' | 'names swapped' | 'address missing';

const FAMILY = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodríguez', 'Martínez', 'Hernández', 'López', 'Wilson',
  'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyễn', 'Tran', 'Kim', 'Park', 'Chen', 'Wang', 'Zhang', 'Li', 'Patel',
  'Shah', 'Khan', 'Ali', 'Okafor', 'Mensah', 'Kowalski', 'Nowak', 'Dubois', 'Lefèvre', 'Rossi', 'Bianchi', 'Novak', 'Müller',
  'Schröder', 'Ivanov', 'Petrov', 'Smirnov', 'Kuznetsov', 'Popescu', 'Andersson', 'Johansson', 'Nielsen', 'Jensen', "O'Brien",
  'Murphy', 'Kelly', 'Byrne', 'MacDonald', 'Fitzgerald', 'Haddad', 'Nasser', 'Cohen', 'Levi', 'Yilmaz', 'Demir', 'Tanaka', 'Suzuki',
  'Sato', 'Fernandes', 'Silva', 'Santos', 'Oliveira', 'Costa', 'Van der Berg', 'De Jong', 'Bakker', 'Visser', 'Hughes', 'Price',
];
const FEMALE = [
  'Mary', 'Elizabeth', 'Margaret', 'Katherine', 'Patricia', 'Susan', 'Jennifer', 'Rebecca', 'Samantha', 'Jessica', 'Victoria', 'Natalia',
  'Olga', 'Ekaterina', 'Fatima', 'Aisha', 'Sofía', 'Mei', 'Yuki', 'Amara', 'Ingrid', 'Chloe', 'Emma', 'Olivia', 'Zoe', 'Hannah', 'Grace',
  'Isabella', 'Abigail', 'Deborah', 'Amanda', 'Melissa', 'Anne', 'Sarah', 'Helen', 'Eleanor', 'Alexandra', 'Christine', 'Priya', 'Leila',
  'Rosalind', 'Imogen', 'Beatrice', 'Harriet', 'Matilda', 'Florence', 'Penelope', 'Cordelia', 'Marisol', 'Lucia', 'Ximena', 'Valentina',
  'Anneliese', 'Sigrid', 'Astrid', 'Maren', 'Oksana', 'Svetlana', 'Irina', 'Ludmila', 'Noor', 'Yasmin', 'Zainab', 'Mariam', 'Ngozi',
  'Chiamaka', 'Adaeze', 'Keiko', 'Haruka', 'Ji-woo', 'Seo-yeon', 'Lakshmi', 'Ananya', 'Divya', 'Thandiwe', 'Nomvula', 'Esperanza',
];
const MALE = [
  'William', 'Robert', 'James', 'John', 'Michael', 'Richard', 'Joseph', 'Thomas', 'Charles', 'David', 'Daniel', 'Edward', 'Alexander',
  'Andrew', 'Christopher', 'Samuel', 'Benjamin', 'Nicholas', 'Matthew', 'Mohammed', 'Sergei', 'Yuri', 'Dmitri', 'José', 'Wei', 'Hiroshi',
  'Kwame', 'Lars', 'Mateo', 'Noah', 'Liam', 'Ethan', 'Omar', 'Arjun', 'Patrick', 'Anthony', 'Timothy', 'Peter', 'Gregory', 'Henry',
  'Bartholomew', 'Cornelius', 'Ambrose', 'Percival', 'Leopold', 'Augustin', 'Florian', 'Tobias', 'Emil', 'Anders', 'Bjorn', 'Stellan',
  'Casimir', 'Wojciech', 'Bogdan', 'Radu', 'Tariq', 'Yusuf', 'Karim', 'Idris', 'Chidi', 'Emeka', 'Obinna', 'Takeshi', 'Kenji',
  'Min-jun', 'Ravi', 'Vikram', 'Sanjay', 'Sipho', 'Thabo', 'Joaquin', 'Rodrigo', 'Esteban', 'Ignacio', 'Dashiell', 'Ewan',
];
const NICKNAMES: Record<string, string[]> = {
  William: ['Bill', 'Will', 'Liam'], Robert: ['Bob', 'Rob'], James: ['Jim', 'Jimmy'], John: ['Jack', 'Johnny'], Michael: ['Mike'],
  Richard: ['Rick', 'Dick'], Joseph: ['Joe'], Thomas: ['Tom'], Charles: ['Charlie', 'Chuck'], David: ['Dave'], Daniel: ['Dan', 'Danny'],
  Edward: ['Ed', 'Ted'], Alexander: ['Alex', 'Sasha'], Andrew: ['Andy', 'Drew'], Christopher: ['Chris'], Samuel: ['Sam'],
  Benjamin: ['Ben'], Nicholas: ['Nick'], Matthew: ['Matt'], Patrick: ['Pat'], Anthony: ['Tony'], Timothy: ['Tim'], Peter: ['Pete'],
  Gregory: ['Greg'], Henry: ['Harry', 'Hank'], Elizabeth: ['Liz', 'Beth', 'Betty'], Margaret: ['Maggie', 'Peggy'], Katherine: ['Kate', 'Kathy'],
  Patricia: ['Pat', 'Trish'], Susan: ['Sue'], Jennifer: ['Jen', 'Jenny'], Rebecca: ['Becky'], Samantha: ['Sam'], Jessica: ['Jess'],
  Victoria: ['Vicky'], Natalia: ['Natasha'], Isabella: ['Bella'], Abigail: ['Abby'], Deborah: ['Debbie'], Amanda: ['Mandy'],
  Melissa: ['Mel'], Anne: ['Annie'], Sarah: ['Sally'], Eleanor: ['Ellie'], Alexandra: ['Alex', 'Sasha'], Christine: ['Chris'],
};
const TRANSLITERATIONS: Record<string, string[]> = {
  Mohammed: ['Muhammad', 'Mohamed', 'Mohammad'], Sergei: ['Sergey'], Yuri: ['Yury', 'Iouri'], Dmitri: ['Dmitry'], Natalia: ['Natalya'],
  Olga: ['Olha'], Ekaterina: ['Yekaterina'], Aisha: ['Ayesha'], Fatima: ['Fatimah'], José: ['Jose'], 'Sofía': ['Sofia'],
  'Müller': ['Mueller', 'Muller'], 'Schröder': ['Schroeder', 'Schroder'], Ivanov: ['Ivanoff'], Smirnov: ['Smirnoff'], 'Nguyễn': ['Nguyen'],
  'Hernández': ['Hernandez'], 'Rodríguez': ['Rodriguez'], 'Lefèvre': ['Lefevre'], Haddad: ['Hadad'], Nasser: ['Nasir'], Zhang: ['Chang'],
};
const STREETS = ['Oak St', 'Maple Ave', 'Cedar Ln', 'Elm St', 'Pine Rd', 'Lakeview Dr', 'Main St', 'Hillcrest Blvd', 'Church Rd', 'Mill Ln', 'Station Rd', 'Park Ave', 'River Rd', 'Kingsway', 'Queens Rd', 'Victoria St'];
const CITIES = [
  ['Springfield', '627'], ['Madison', '537'], ['Portland', '972'], ['Austin', '787'], ['Columbus', '432'], ['Salem', '973'], ['Dayton', '454'], ['Fresno', '937'],
] as const;

interface Person extends Omit<RawPerson, 'given'> {
  given: string[];
  familyBase: string;
  household: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The digit that makes `payload` + digit pass the Luhn check. */
const luhnDigit = (payload: string) => '0123456789'.split('').find((digit) => luhnValid(payload + digit))!;

/** Syllables of the invented surnames a large population adds to the common ones. */
const SYLLABLES = ['ab', 'bel', 'car', 'dun', 'ek', 'fal', 'gor', 'han', 'is', 'jor', 'kel', 'lin', 'mar', 'nor', 'ov', 'pel', 'quin', 'ros', 'sel', 'tor', 'ul', 'ven', 'wen', 'yar', 'zan', 'ber', 'dal', 'fen', 'gil', 'hol', 'kin', 'lo', 'mon', 'nik', 'ost', 'pra', 'rud', 'sten', 'tam', 'vik'];

/** Households the common surnames and the eight towns are sized for: at a million people they would make blocks of thousands. */
const POOL_HOUSEHOLDS = 2500;

/**
 * `scaledPools`: surname and place pools grow with the households, as a real registry's do (a
 * million people do not share 90 surnames and 8 towns): beyond 2,500 households most surnames
 * are invented from syllables and towns number one per 1,000 households (a postcode about ten
 * households, as a British one). Off by default, so the
 * set of a given seed and size stays the same.
 */
export function generateHardSet({ seed = 14, households = 2500, scaledPools = false } = {}): SyntheticSet {
  const random = new SeededRandom(seed);
  // Surnames Zipf-like: a few very common, many rare, so term frequency matters.
  const zipf = FAMILY.map((_, rank) => 1 / (rank + 1));
  const zipfTotal = zipf.reduce((a, b) => a + b, 0);
  const commonShare = scaledPools ? Math.min(1, POOL_HOUSEHOLDS / households) : 1;
  const invented = () => {
    const name = Array.from({ length: random.int(2, 3) }, () => random.pick(SYLLABLES)).join('');
    return name[0]!.toUpperCase() + name.slice(1);
  };
  const towns = scaledPools ? Math.max(CITIES.length, Math.ceil(households / 1_000)) : CITIES.length;
  const town = (): readonly [string, string] => {
    const at = random.int(0, towns - 1);
    if (at < CITIES.length) return CITIES[at]!;
    return [`${CITIES[at % CITIES.length]![0]} ${Math.floor(at / CITIES.length)}`, String(1000 + at)];
  };
  const familyName = () => {
    if (commonShare < 1 && !random.chance(commonShare)) return invented();
    let draw = random.next() * zipfTotal;
    for (let i = 0; i < FAMILY.length; i++) if ((draw -= zipf[i]!) <= 0) return FAMILY[i]!;
    return FAMILY.at(-1)!;
  };
  const phone = () => `+1 555 ${pad(random.int(100, 999), 3)} ${pad(random.int(0, 9999), 4)}`;
  const identifier = () => {
    const payload = pad(random.int(0, 99_999_999), 8);
    return `${payload}${luhnDigit(payload)}`;
  };
  const address = () => {
    const [city, zip] = scaledPools ? town() : random.pick(CITIES);
    return { addressLine: `${random.int(1, 999)} ${random.pick(STREETS)}`, city, postcode: `${zip}${pad(random.int(0, 99), 2)}`, state: 'ST' };
  };
  const date = (year: number) => `${year}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}`;
  const people: Array<Person & { person: string }> = [];
  const relatives: SyntheticSet['relatives'] = [];
  let next = 0;
  const person = (fields: Omit<Person, 'id'>) => {
    const id = `p${++next}`;
    people.push({ ...fields, id, person: id });
    return id;
  };
  for (let h = 0; h < households; h++) {
    const family = familyName();
    const home = address();
    const homePhone = random.chance(0.6) ? phone() : null;
    const shape = random.next();
    const adults = shape < 0.4 ? 1 : 2;
    const fatherYear = random.int(1945, 1990);
    const parents: Array<{ id: string; given: string; year: number; gender: string }> = [];
    for (let a = 0; a < adults; a++) {
      const gender = a === 0 ? (random.chance(0.5) ? 'male' : 'female') : parents[0]!.gender === 'male' ? 'female' : 'male';
      const given = random.pick(gender === 'male' ? MALE : FEMALE);
      const year = a === 0 ? fatherYear : fatherYear + random.int(-4, 4);
      // The second adult may still be registered under a maiden name.
      const own = a === 1 && random.chance(0.3) ? familyName() : family;
      const middle = random.chance(0.3) ? [random.pick(gender === 'male' ? MALE : FEMALE)] : [];
      const id = person({
        given: [given, ...middle], family: own, familyBase: family, household: h, birthDate: date(year), gender,
        identifier: random.chance(0.9) ? identifier() : null, phone: random.chance(0.7) ? phone() : homePhone, ...home,
      });
      parents.push({ id, given, year, gender });
    }
    if (shape >= 0.6) {
      const children = random.int(1, 3);
      const father = parents.find((parent) => parent.gender === 'male');
      let twinDate: string | null = null;
      for (let c = 0; c < children; c++) {
        const gender = random.chance(0.5) ? 'male' : 'female';
        const twin: boolean = c > 0 && twinDate !== null && random.chance(0.5);
        const birthDate: string = twin && twinDate ? twinDate : date(Math.min(parents[0]!.year + random.int(20, 38), 2023));
        const junior = !twin && gender === 'male' && father && random.chance(0.35);
        let given = junior ? father.given : random.pick(gender === 'male' ? MALE : FEMALE);
        while (twin && given === people.at(-1)!.given[0]) given = random.pick(gender === 'male' ? MALE : FEMALE);
        const id = person({
          given: [given], family: junior && random.chance(0.5) ? `${family} Jr` : family, familyBase: family, household: h, birthDate, gender,
          identifier: random.chance(0.85) ? identifier() : null, phone: homePhone ?? (random.chance(0.5) ? phone() : null), ...home,
        });
        if (twin) relatives.push({ a: people.at(-2)!.person, b: id, kind: 'twin' });
        if (junior) relatives.push({ a: father.id, b: id, kind: 'parent-child' });
        twinDate = random.chance(0.3) ? birthDate : null;
      }
    }
  }
  const typo = (text: string) => {
    const at = random.int(0, Math.max(0, text.length - 2));
    const kind = random.int(0, 3);
    if (kind === 0) return text.slice(0, at) + text.slice(at + 1);
    if (kind === 1) return text.slice(0, at) + String.fromCharCode(97 + random.int(0, 25)) + text.slice(at + 1);
    if (kind === 2) return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
    return text.slice(0, at) + String.fromCharCode(97 + random.int(0, 25)) + text.slice(at);
  };
  const digitTypo = (text: string, positions: number[]) => {
    const at = random.pick(positions);
    let digit = text[at]!;
    while (digit === text[at]) digit = String(random.int(0, 9));
    return text.slice(0, at) + digit + text.slice(at + 1);
  };
  const errors: Array<[number, RegistrationError, (p: Person) => boolean]> = [
    [3, 'nickname', (p) => { const nick = NICKNAMES[p.given[0]!]; if (!nick) return false; p.given = [random.pick(nick), ...p.given.slice(1)]; return true; }],
    [2, 'transliteration', (p) => { const variants = TRANSLITERATIONS[p.given[0]!] ?? TRANSLITERATIONS[p.family!]; if (!variants) return false; if (TRANSLITERATIONS[p.given[0]!]) p.given = [random.pick(variants), ...p.given.slice(1)]; else p.family = random.pick(variants); return true; }],
    [3, 'given typo', (p) => { p.given = [typo(p.given[0]!), ...p.given.slice(1)]; return true; }],
    [3, 'family typo', (p) => { p.family = typo(p.family!); return true; }],
    [2, 'married name', (p) => { if (p.gender !== 'female') return false; p.family = familyName(); return true; }],
    [2, 'day/month swap', (p) => { const [y, m, d] = p.birthDate!.split('-'); if (Number(d) > 12 || m === d) return false; p.birthDate = `${y}-${d}-${m}`; return true; }],
    [3, 'date digit typo', (p) => { const typed = digitTypo(p.birthDate!, [2, 3, 6, 8, 9]); if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d)$/.test(typed)) return false; p.birthDate = typed; return true; }],
    [3, 'identifier missing', (p) => { if (!p.identifier) return false; p.identifier = null; return true; }],
    [2, 'identifier typo', (p) => { if (!p.identifier) return false; const i = random.int(0, 7); p.identifier = random.chance(0.5) ? digitTypo(p.identifier, [i]) : p.identifier.slice(0, i) + p.identifier[i + 1] + p.identifier[i] + p.identifier.slice(i + 2); return true; }],
    [2, 'phone changed', (p) => { p.phone = random.chance(0.5) ? null : phone(); return true; }],
    [2, 'moved', (p) => { Object.assign(p, address()); return true; }],
    [1, 'postcode typo', (p) => { if (!p.postcode) return false; p.postcode = digitTypo(p.postcode, [3, 4]); return true; }],
    [1, 'names swapped', (p) => { const given = p.given[0]!; p.given = [p.family!.replace(/ Jr$/, ''), ...p.given.slice(1)]; p.family = given; return true; }],
    [1, 'address missing', (p) => { p.addressLine = null; p.city = null; p.postcode = null; return true; }],
  ];
  const errorTotal = errors.reduce((sum, [weight]) => sum + weight, 0);
  const records: MatchRecord[] = [];
  const entities: string[] = [];
  const householdOf: number[] = [];
  const errorsOf: RegistrationError[][] = [];
  const registered: RawPerson[] = [];
  const add = (p: Person, id: string, entity: string, made: RegistrationError[]) => {
    const { familyBase: _base, household: _household, ...values } = p;
    registered.push({ ...values, id });
    records.push(matchRecord({ ...p, id }));
    entities.push(entity);
    householdOf.push(p.household);
    errorsOf.push(made);
  };
  for (const original of [...people]) {
    add(original, `${original.person}-0`, original.person, []);
    const copies = random.chance(0.35) ? (random.chance(0.25) ? 2 : 1) : 0;
    for (let k = 1; k <= copies; k++) {
      const copy: Person = { ...original, given: [...original.given] };
      const wanted = random.int(1, 3);
      const made: RegistrationError[] = [];
      for (let tries = 0; made.length < wanted && tries < 20; tries++) {
        let draw = random.next() * errorTotal;
        const [, name, error] = errors.find(([weight]) => (draw -= weight) <= 0)!;
        if (error(copy)) made.push(name);
      }
      add(copy, `${original.person}-${k}`, original.person, made);
    }
  }
  // Registration order is not household order.
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return {
    records: order.map((i) => records[i]!),
    entities: order.map((i) => entities[i]!),
    relatives,
    households: order.map((i) => householdOf[i]!),
    errors: order.map((i) => errorsOf[i]!),
    registered: order.map((i) => registered[i]!),
  };
}
