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
