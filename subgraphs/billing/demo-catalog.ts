import type { SeededRandom } from '../../platform/demo/random.ts';
import type { FeeScheduleEntry, Payer } from './model.ts';

/** Invented payers; pay-04 is the plan the simulated payer never lets pay for cosmetic procedures. */
export const DEMO_PAYERS: readonly Payer[] = [
  { id: 'pay-01', name: 'Cascade Health Insurance' },
  { id: 'pay-02', name: 'Harbor Mutual Health' },
  { id: 'pay-03', name: 'Summit Care Alliance' },
  { id: 'pay-04', name: 'Evergreen Community Health Plan' },
  { id: 'pay-05', name: 'Pioneer Medicare Advantage' },
];

/** CPT-style codes with plausible outpatient prices. */
export const DEMO_FEE_SCHEDULE: readonly FeeScheduleEntry[] = [
  { code: '99212', description: 'Office visit, established patient, straightforward', amountCents: 7500 },
  { code: '99213', description: 'Office visit, established patient, low complexity', amountCents: 11000 },
  { code: '99214', description: 'Office visit, established patient, moderate complexity', amountCents: 16500 },
  { code: '99215', description: 'Office visit, established patient, high complexity', amountCents: 23000 },
  { code: '99392', description: 'Preventive visit, established patient, age 1 to 4', amountCents: 14000 },
  { code: '99393', description: 'Preventive visit, established patient, age 5 to 11', amountCents: 14500 },
  { code: '93000', description: 'Electrocardiogram, 12 leads, with interpretation', amountCents: 4500 },
  { code: '93306', description: 'Echocardiogram, transthoracic, complete', amountCents: 38000 },
  { code: '11102', description: 'Skin biopsy, tangential, single lesion', amountCents: 14000 },
  { code: '17110', description: 'Destruction of benign lesions, up to 14', amountCents: 12000 },
  { code: '15788', description: 'Chemical peel, facial, epidermal (cosmetic)', amountCents: 25000 },
  { code: '97161', description: 'Physical therapy evaluation, low complexity', amountCents: 9500 },
  { code: '97110', description: 'Therapeutic exercise, each 15 minutes', amountCents: 3800 },
  { code: '97140', description: 'Manual therapy, each 15 minutes', amountCents: 3600 },
  { code: '90471', description: 'Immunization administration, one vaccine', amountCents: 2500 },
  { code: '90686', description: 'Influenza vaccine, quadrivalent, preservative free', amountCents: 2200 },
  { code: '36415', description: 'Venipuncture, routine blood draw', amountCents: 1200 },
  { code: '73030', description: 'X-ray, shoulder, two views', amountCents: 6500 },
  { code: '20610', description: 'Joint injection, major joint', amountCents: 11500 },
];

const OFFICE_VISITS = ['99212', '99213', '99214', '99215'];
const VACCINATION = ['90471', '90686'];

const some = (random: SeededRandom, probability: number, codes: readonly string[]) => (random.chance(probability) ? codes : []);

/** What an encounter of each service type typically bills; any other service is an office visit. */
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
