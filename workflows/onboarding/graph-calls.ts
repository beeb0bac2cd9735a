import type { GraphClient } from '../graph-client.ts';
import type { NewPatient, CoverageRequest } from './request.ts';

/**
 * What the onboarding steps ask of the graph, one function per call. Each mutation carries an
 * idempotency key made of the workflow id and the step: a step the engine runs again after a
 * crash gets the first call's result back, and nothing happens twice.
 */
export interface Eligibility {
  eligible: boolean;
  coveragePercent: number;
  copay: { value: number; currency: string };
}

export interface FrontOfficeTask {
  odooActivityId: number;
  status: 'OPEN' | 'DONE' | 'CANCELLED';
  decision: string | null;
}

export interface TaskRequest {
  patientId: string;
  summary: string;
  deadline: string;
  choices: string[];
  link?: string;
}

export interface PatientIndexMatch {
  grade: 'CERTAIN' | 'PROBABLE' | 'NONE';
  patientIds: string[];
}

const TASK_FIELDS = 'odooActivityId status decision';

export function onboardingCalls(graph: GraphClient) {
  return {
    /** Registers the patient; `differentFrom`: registered patients the front office said this person is not. */
    async registerPatient(patient: NewPatient, key: string, differentFrom: string[] = []): Promise<string> {
      const { registerPatient } = await graph.call<{ registerPatient: { id: string } }>(
        'registerPatient',
        'mutation($input: RegisterPatientInput!, $key: String, $differentFrom: [ID!]) { registerPatient(input: $input, idempotencyKey: $key, differentFrom: $differentFrom) { id } }',
        { input: patient, key, differentFrom },
        'HOPERAT',
      );
      return registerPatient.id;
    },

    /**
     * What the master patient index says of this person: the registered patient it is certain of
     * (matched by every field, as registration checks them), else the patients it finds probably
     * them by name, birth date and gender (what this service sees whole), best first.
     */
    async matchPatient(patient: NewPatient): Promise<PatientIndexMatch> {
      const match = async (input: Partial<NewPatient>, onlyCertain: boolean) =>
        (
          await graph.call<{ patientMatch: Array<{ grade: 'CERTAIN' | 'PROBABLE' | 'POSSIBLE'; patient: { id: string } }> }>(
            'patientMatch',
            'query($input: PatientMatchInput!, $onlyCertain: Boolean) { patientMatch(input: $input, onlyCertain: $onlyCertain, count: 10) { grade patient { id } } }',
            { input, onlyCertain },
            'HOPERAT',
          )
        ).patientMatch;
      const [certain] = await match(patient, true);
      if (certain) return { grade: 'CERTAIN', patientIds: [certain.patient.id] };
      const { name, birthDate, gender } = patient;
      const probable = (await match({ name, birthDate, gender }, false)).filter((found) => found.grade !== 'POSSIBLE');
      return probable.length > 0 ? { grade: 'PROBABLE', patientIds: probable.map((found) => found.patient.id) } : { grade: 'NONE', patientIds: [] };
    },

    /** Other records with the same family name and birth date, and the same first given name. */
    async probableDuplicates(patient: NewPatient, patientId: string): Promise<string[]> {
      const { patients } = await graph.call<{ patients: { edges: Array<{ node: { id: string; name: { family: string; given: string[] } } }> } }>(
        'patients',
        'query($search: PatientSearch!) { patients(search: $search, first: 20) { edges { node { id name { family given } } } } }',
        { search: { name: patient.name.family, birthDate: patient.birthDate } },
        'HOPERAT',
      );
      const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
      return patients.edges
        .map(({ node }) => node)
        .filter((node) => node.id !== patientId && same(node.name.family, patient.name.family) && same(node.name.given[0], patient.name.given[0]))
        .map((node) => node.id);
    },

    async addCoverage(patientId: string, coverage: CoverageRequest, key: string): Promise<string> {
      const { addCoverage } = await graph.call<{ addCoverage: { id: string } }>(
        'addCoverage',
        'mutation($patientId: ID!, $input: AddCoverageInput!, $key: String) { addCoverage(patientId: $patientId, input: $input, idempotencyKey: $key) { id } }',
        { patientId, input: coverage, key },
        'HOPERAT',
      );
      return addCoverage.id;
    },

    async checkEligibility(patientId: string, payerId: string, serviceCode: string): Promise<Eligibility> {
      const { checkEligibility } = await graph.call<{ checkEligibility: Eligibility }>(
        'checkEligibility',
        'query($patientId: ID!, $payerId: ID!, $code: String!) { checkEligibility(patientId: $patientId, payerId: $payerId, serviceCode: $code) { eligible coveragePercent copay { value currency } } }',
        { patientId, payerId, code: serviceCode },
        'HPAYMT',
      );
      return checkEligibility;
    },

    async fee(serviceCode: string): Promise<{ value: number; currency: string } | null> {
      const { feeSchedule } = await graph.call<{ feeSchedule: Array<{ code: string; amount: { value: number; currency: string } }> }>(
        'feeSchedule',
        'query { feeSchedule { code amount { value currency } } }',
        {},
        'HPAYMT',
      );
      return feeSchedule.find((entry) => entry.code === serviceCode)?.amount ?? null;
    },

    async freeSlots(serviceType: string, from: string, to: string): Promise<string[]> {
      const { availableSlots } = await graph.call<{ availableSlots: Array<{ id: string }> }>(
        'availableSlots',
        'query($filter: SlotFilter, $from: DateTime!, $to: DateTime!) { availableSlots(filter: $filter, from: $from, to: $to, first: 30) { id } }',
        { filter: { serviceType }, from, to },
        'HOPERAT',
      );
      return availableSlots.map((slot) => slot.id);
    },

    async bookAppointment(slotId: string, patientId: string, key: string): Promise<string> {
      const { bookAppointment } = await graph.call<{ bookAppointment: { id: string } }>(
        'bookAppointment',
        'mutation($slotId: ID!, $patientId: ID!, $key: String) { bookAppointment(slotId: $slotId, patientId: $patientId, reason: "First visit", idempotencyKey: $key) { id } }',
        { slotId, patientId, key },
        'HOPERAT',
      );
      return bookAppointment.id;
    },

    async cancelAppointment(id: string): Promise<void> {
      await graph.call(
        'cancelAppointment',
        'mutation($id: ID!) { cancelAppointment(id: $id, reason: "Onboarding withdrawn") { id } }',
        { id },
        'HOPERAT',
      );
    },

    /** Whether the patient has an active treatment consent: PERMIT, DENY, or null while none. */
    async treatmentConsent(patientId: string): Promise<'PERMIT' | 'DENY' | null> {
      const { patient } = await graph.call<{ patient: { consents: Array<{ category: string; decision: 'PERMIT' | 'DENY'; status: string }> | null } | null }>(
        'patient.consents',
        'query($id: ID!) { patient(id: $id) { consents { category decision status } } }',
        { id: patientId },
        'HOPERAT',
      );
      const active = (patient?.consents ?? []).find((consent) => consent.category === 'TREATMENT' && consent.status === 'ACTIVE');
      return active?.decision ?? null;
    },

    async openFinancialAccount(patientId: string): Promise<number> {
      const { openFinancialAccount } = await graph.call<{ openFinancialAccount: { id: number } }>(
        'openFinancialAccount',
        'mutation($patientId: ID!) { openFinancialAccount(patientId: $patientId) { id } }',
        { patientId },
        'HPAYMT',
      );
      return openFinancialAccount.id;
    },

    async withdrawFinancialAccount(patientId: string): Promise<void> {
      await graph.call('withdrawFinancialAccount', 'mutation($patientId: ID!) { withdrawFinancialAccount(patientId: $patientId) { id } }', { patientId }, 'HPAYMT');
    },

    async openTask(task: TaskRequest, key: string): Promise<FrontOfficeTask> {
      const { openFrontOfficeTask } = await graph.call<{ openFrontOfficeTask: FrontOfficeTask }>(
        'openFrontOfficeTask',
        `mutation($input: OpenFrontOfficeTaskInput!, $key: String) { openFrontOfficeTask(input: $input, idempotencyKey: $key) { ${TASK_FIELDS} } }`,
        { input: task, key },
        'HOPERAT',
      );
      return openFrontOfficeTask;
    },

    async task(odooActivityId: number): Promise<FrontOfficeTask | null> {
      const { frontOfficeTask } = await graph.call<{ frontOfficeTask: FrontOfficeTask | null }>(
        'frontOfficeTask',
        `query($id: Int!) { frontOfficeTask(odooActivityId: $id) { ${TASK_FIELDS} } }`,
        { id: odooActivityId },
        'HOPERAT',
      );
      return frontOfficeTask;
    },

    async cancelTask(odooActivityId: number): Promise<void> {
      await graph.call('cancelFrontOfficeTask', 'mutation($id: Int!) { cancelFrontOfficeTask(odooActivityId: $id) { odooActivityId } }', { id: odooActivityId }, 'HOPERAT');
    },
  };
}

export type OnboardingCalls = ReturnType<typeof onboardingCalls>;
