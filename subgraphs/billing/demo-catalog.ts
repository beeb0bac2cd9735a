import type { SeededRandom } from '../../platform/demo/random.ts';

const OFFICE_VISITS = ['99212', '99213', '99214', '99215'];
const VACCINATION = ['90471', '90686'];

const some = (random: SeededRandom, probability: number, codes: readonly string[]) => (random.chance(probability) ? codes : []);

/** What an encounter of each service type typically bills (codes of the demo fee schedule); any other service is an office visit. */
const CODES_OF_SERVICE: Record<string, (random: SeededRandom) => string[]> = {
  'general-practice': (random) => [random.pick(OFFICE_VISITS.slice(0, 3)), ...some(random, 0.3, ['36415']), ...some(random, 0.2, VACCINATION)],
  cardiology: (random) => [random.pick(['99214', '99215']), '93000', ...some(random, 0.25, ['93306'])],
  dermatology: (random) => [random.pick(['99213', '99214']), ...some(random, 0.35, ['11102']), ...some(random, 0.15, ['17110']), ...some(random, 0.1, ['15788'])],
  pediatrics: (random) => [random.pick(['99392', '99393', '99213']), ...some(random, 0.4, VACCINATION)],
  physiotherapy: (random) => (random.chance(0.3) ? ['97161', '97110'] : ['97110', ...some(random, 0.6, ['97140'])]),
  orthopedics: (random) => [random.pick(['99213', '99214']), ...some(random, 0.4, ['73030']), ...some(random, 0.2, ['20610'])],
};

export const codesOfService = (serviceType: string, random: SeededRandom): string[] =>
  CODES_OF_SERVICE[serviceType]?.(random) ?? [random.pick(OFFICE_VISITS)];
