import { limited as damerauLevenshteinWithin } from 'talisman/metrics/damerau-levenshtein.js';

/**
 * Given names that stand for one another: a formal name first, then its usual short and pet
 * forms and common spelling or transliteration variants. Two names are equivalent when some
 * group holds both; a short form shared by several names (alex, chris, pat) joins them all.
 */
const groups: readonly string[] = [
  'william bill billy will willy willie liam',
  'robert bob bobby rob robbie bert',
  'elizabeth liz lizzie beth betty bess eliza lisa libby elisabeth ellie',
  'margaret maggie meg peggy marge margie greta',
  'katherine catherine kathryn kate katie kathy cathy kat kitty',
  'james jim jimmy jamie',
  'john jack johnny jon',
  'jonathan jon jonny',
  'michael mike mikey mick mickey',
  'richard rick ricky dick rich richie',
  'joseph joe joey',
  'thomas tom tommy',
  'charles charlie chuck chas',
  'david dave davy',
  'daniel dan danny',
  'edward ed eddie ted ned',
  'henry harry hank',
  'alexander alex sandy sasha alec aleksandr alexandre aleksander',
  'alexandra alex sandra sasha aleksandra',
  'andrew andy drew',
  'anthony tony antony',
  'christopher chris kit',
  'christine chris tina christina kristina',
  'patricia pat patty trish tricia',
  'patrick pat paddy',
  'susan sue susie suzanne',
  'jennifer jen jenny',
  'deborah deb debbie debra',
  'rebecca becky becca',
  'samuel sam sammy',
  'samantha sam sammy',
  'benjamin ben benny',
  'nicholas nick nicky',
  'matthew matt',
  'steven stephen steve',
  'timothy tim timmy',
  'peter pete',
  'gregory greg',
  'ronald ron ronnie',
  'donald don donnie',
  'kenneth ken kenny',
  'victoria vicky tori',
  'jacqueline jackie',
  'barbara barb babs',
  'dorothy dot dottie',
  'frances fran frankie',
  'francis frank frankie',
  'jessica jess jessie',
  'joshua josh',
  'zachary zach zack',
  'abigail abby abbie',
  'isabella isabel isabelle bella izzy',
  'theodore ted theo',
  'lawrence larry laurence',
  'gerald gerry jerry',
  'raymond ray',
  'eugene gene',
  'leonard leo len lenny',
  'walter walt wally',
  'albert al bert',
  'alfred alf fred',
  'frederick fred freddie freddy',
  'mary molly polly mae maria',
  'sarah sally sadie sara',
  'anne ann anna annie nan',
  'helen nell',
  'eleanor nell ellie elinor',
  'amanda mandy',
  'melissa mel missy',
  'pamela pam',
  'cynthia cindy',
  'kimberly kim',
  'stephanie steph',
  'nathaniel nate nat',
  'nathan nate',
  'jeremy jerry',
  'joanne jo joanna',
  'josephine jo josie',
  'lucas luke',
  'maximilian max',
  'oliver ollie',
  'madeline maddie madison',
  'charlotte lottie charlie',
  'mohammed muhammad mohamed mohammad muhammed',
  'sergei sergey serguei',
  'yuri yury iouri yuriy',
  'dmitri dmitry dmitriy',
  'andrei andrey andriy',
  'natalia natalya nataliya natasha',
  'olga olha',
  'ekaterina yekaterina katya',
  'mikhail mikhael misha',
  'yevgeny evgeny evgeni zhenya',
  'jose pepe',
  'francisco paco pancho',
  'guillermo memo',
  'ahmed ahmad',
  'hussein husain hossein',
  'fatima fatimah',
  'aisha ayesha aysha',
  'yusuf yousef youssef joseph',
];

const equivalents = new Map<string, Set<number>>();
groups.forEach((group, index) => {
  for (const name of group.split(' ')) {
    const known = equivalents.get(name) ?? new Set<number>();
    known.add(index);
    equivalents.set(name, known);
  }
});

/** Whether two folded given names are a name and its nickname or variant. */
export function nicknameEquivalent(a: string, b: string): boolean {
  const ofA = equivalents.get(a);
  const ofB = equivalents.get(b);
  if (!ofA || !ofB) return false;
  for (const group of ofA) if (ofB.has(group)) return true;
  return false;
}

/** A word with each of its letters left out in turn: two words one keystroke apart share one of these, or one is the other's. */
function deletions(word: string): string[] {
  const found: string[] = [];
  for (let at = 0; at < word.length; at++) found.push(word.slice(0, at) + word.slice(at + 1));
  return found;
}

/** Known names by themselves and by each of their deletions. */
const byDeletion = new Map<string, string[]>();
for (const name of equivalents.keys()) {
  for (const key of [name, ...deletions(name)]) byDeletion.set(key, [...(byDeletion.get(key) ?? []), name]);
}

const typedGroupsCache = new Map<string, ReadonlySet<number>>();

/** The groups of the known names a word of three letters or more is one keystroke from (cached: names repeat across millions of pairs). */
function groupsOfTypo(word: string): ReadonlySet<number> {
  let groups = typedGroupsCache.get(word);
  if (!groups) {
    const found = new Set<number>();
    if (word.length >= 3 && !equivalents.has(word)) {
      for (const key of [word, ...deletions(word)]) {
        for (const name of byDeletion.get(key) ?? []) {
          if (damerauLevenshteinWithin(1, word, name) <= 1) for (const group of equivalents.get(name)!) found.add(group);
        }
      }
    }
    groups = found;
    if (typedGroupsCache.size > 200_000) typedGroupsCache.clear();
    typedGroupsCache.set(word, groups);
  }
  return groups;
}

/** Whether one of two folded given names is a keystroke from a name the other is a nickname or variant of (otm and thomas: tom mistyped). */
export function nicknameEquivalentOneTypoApart(a: string, b: string): boolean {
  return typoOfEquivalent(a, b) || typoOfEquivalent(b, a);
}

function typoOfEquivalent(typed: string, known: string): boolean {
  const ofKnown = equivalents.get(known);
  if (!ofKnown) return false;
  for (const group of groupsOfTypo(typed)) if (ofKnown.has(group)) return true;
  return false;
}
