import { badInput, conflict, notFound } from '../../platform/errors.ts';
import { once } from '../../platform/database/idempotency.ts';
import { DateScalar, DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { cursorSealOf } from '../../platform/subgraph/cursors.ts';
import { pageSize, requiredText } from '../../platform/validation.ts';
import type { PatientsContext } from './context.ts';
import type { Consent, Coverage, DemographicsChange, NewConsent, NewCoverage, NewPatient, Patient } from './model.ts';
import { PatientChanges } from './patient-changes.ts';
import { PatientStore, type SearchPosition } from './patient-store.ts';
import { MatchReviews, type MatchReview, type ReviewStatus } from './match-review.ts';
import { PatientMerges, type PatientMerge } from './patient-merges.ts';
import { findMatches, scoreCandidates } from './patient-matching.ts';
import { matchCount, matchProposal, registrationCheck, searchCriteria, searchRightsOf, type PatientMatchInput, type PatientSearchInput } from './search.ts';
import {
  validAddress,
  validBirthDate,
  validConsent,
  validCoverage,
  validName,
  validNationalIdentifier,
  validTelecom,
} from './validation.ts';
import { serviceOperationsResolver } from '../../platform/subgraph/service-operations.ts';

type Context = PatientsContext;

const MRN_SYSTEM = 'https://healthcare-graph.example/mrn';
const NATIONAL_ID_SYSTEM = 'urn:oid:2.16.840.1.113883.4.1';

const isSearchPosition = (value: unknown): value is SearchPosition =>
  typeof (value as SearchPosition)?.familyName === 'string' && typeof (value as SearchPosition)?.id === 'string';


/** A patient outside the caller's rows is not found, like one that does not exist; a merged record takes no changes. */
async function existingPatient(store: PatientStore, id: string): Promise<void> {
  const [patient] = await store.patientsByIds([id]);
  if (!patient) throw notFound('Patient', id);
  if (patient.replacedBy) throw conflict('PATIENT_MERGED', `Patient ${id} is merged into patient ${patient.replacedBy}`, { patientId: id, replacedBy: patient.replacedBy });
}

/** The steward's words, kept with the merge: said, and short enough to read. */
const MERGE_REASON_LENGTH = 500;

export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    patientsOperations: serviceOperationsResolver,
    patient: (_: unknown, { id }: { id: string }, { patients }: Context) => patients.load(id),
    async patients(
      _: unknown,
      args: { search: PatientSearchInput; first?: number | null; after?: string | null },
      { db, store, caller, mayRead }: Context,
    ) {
      const criteria = searchCriteria(args.search, searchRightsOf(caller, mayRead));
      const limit = pageSize(args.first, 100);
      const seal = await cursorSealOf(db);
      // A cursor continues this search for this caller only.
      const boundTo = JSON.stringify([caller?.subject ?? null, criteria]);
      const after = args.after ? seal.open(args.after, boundTo, isSearchPosition) : undefined;
      const { patients, hasNextPage } = await store.search(criteria, limit, after);
      const edges = patients.map((patient) => ({
        cursor: seal.seal({ familyName: patient.name.family.toLowerCase(), id: patient.id }, boundTo),
        node: patient,
      }));
      return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    async patientMatch(
      _: unknown,
      args: { input: PatientMatchInput; onlyCertain?: boolean | null; count?: number | null },
      { store, caller, mayRead }: Context,
    ) {
      const rights = args.onlyCertain && mayRead('Mutation.registerPatient') ? registrationCheck : searchRightsOf(caller, mayRead);
      const proposed = matchProposal(args.input, rights);
      return findMatches(store, proposed, { onlyCertain: args.onlyCertain ?? false, count: matchCount(args.count) });
    },
    matchReviews: (_: unknown, args: { status?: ReviewStatus | null; first?: number | null }, { db, scope }: Context) =>
      new MatchReviews(db, scope).list(args.status ?? 'OPEN', pageSize(args.first, 100)),
  },
  PatientMerge: {
    survivor: (merge: PatientMerge, _: unknown, { patients }: Context) => patients.load(merge.survivorId),
    merged: (merge: PatientMerge, _: unknown, { patients }: Context) => patients.load(merge.mergedId),
  },
  MatchReview: {
    patient: (review: MatchReview, _: unknown, { patients }: Context) => patients.load(review.patientId),
    candidate: (review: MatchReview, _: unknown, { patients }: Context) => patients.load(review.candidateId),
  },
  Patient: {
    __resolveReference: ({ id }: { id: string }, { patients }: Context) => patients.load(id),
    name: ({ name }: Patient) => ({ ...name, text: `${name.given.join(' ')} ${name.family}` }),
    identifiers: async (patient: Patient, _: unknown, { coverages }: Context) => [
      { system: MRN_SYSTEM, value: patient.mrn, type: 'MR' },
      ...(patient.nationalIdentifier ? [{ system: NATIONAL_ID_SYSTEM, value: patient.nationalIdentifier, type: 'NI' }] : []),
      ...(await coverages.load(patient.id)).map((coverage) => ({ system: `payer:${coverage.payerId}`, value: coverage.memberId, type: 'MB' })),
    ],
    coverages: (patient: Patient, _: unknown, { coverages }: Context) => coverages.load(patient.id),
    consents: (patient: Patient, _: unknown, { consents }: Context) => consents.load(patient.id),
    active: (patient: Patient) => patient.replacedBy === null,
    replacedBy: (patient: Patient, _: unknown, { patients }: Context) => (patient.replacedBy ? patients.load(patient.replacedBy) : null),
  },
  Coverage: {
    payer: (coverage: Coverage) => ({ __typename: 'Payer', id: coverage.payerId }),
  },
  Mutation: {
    async registerPatient(
      _: unknown,
      { input, idempotencyKey, differentFrom }: { input: NewPatient; idempotencyKey?: string; differentFrom?: string[] | null },
      { db, scope, caller, patients }: Context,
    ) {
      scope.requireEveryRow('Registering a patient');
      const patient: NewPatient = {
        name: validName(input.name),
        birthDate: validBirthDate(input.birthDate),
        gender: input.gender,
        nationalIdentifier: validNationalIdentifier(input.nationalIdentifier),
        telecom: validTelecom(input.telecom ?? []),
        address: validAddress(input.address),
      };
      const asserted = new Set(differentFrom ?? []);
      if (asserted.size > 20) throw badInput('differentFrom names at most 20 patients', { field: 'differentFrom' });
      const id = await db.transaction((tx) =>
        once(tx, { key: idempotencyKey, caller, operation: 'registerPatient' }, { patient, differentFrom: [...asserted].sort() }, async () => {
          const store = new PatientStore(tx, scope, db.background);
          for (const other of asserted) await existingPatient(store, other);
          const matches = await scoreCandidates(store, { id: 'proposed', ...patient }, { count: 20 });
          const certain = matches.find((match) => match.grade === 'CERTAIN' && !asserted.has(match.patient.id));
          if (certain) {
            store.releaseMatches([certain.patient]);
            throw conflict('CERTAIN_DUPLICATE', `This person is already registered as patient ${certain.patient.id}`, { existingPatientId: certain.patient.id });
          }
          const registered = await new PatientChanges(tx, scope).register(patient);
          const reviews = new MatchReviews(tx, scope);
          const by = caller?.subject ?? null;
          for (const match of matches) {
            // An assertion is recorded as decided; a probable match waits for a steward.
            const status = asserted.has(match.patient.id) ? 'NOT_DUPLICATE' : match.grade === 'PROBABLE' ? 'OPEN' : null;
            if (status) await reviews.record({ patientId: registered, candidateId: match.patient.id, grade: match.grade, score: match.score, status, by });
          }
          for (const other of asserted) {
            if (!matches.some((match) => match.patient.id === other)) await reviews.record({ patientId: registered, candidateId: other, grade: 'POSSIBLE', score: 0, status: 'NOT_DUPLICATE', by });
          }
          return registered;
        }),
      );
      return patients.load(id);
    },
    async updatePatientDemographics(_: unknown, { id, input }: { id: string; input: DemographicsChange }, { db, scope, store, patients }: Context) {
      await existingPatient(store, id);
      const change: DemographicsChange = {
        name: input.name ? validName(input.name) : undefined,
        birthDate: input.birthDate ? validBirthDate(input.birthDate) : undefined,
        gender: input.gender ?? undefined,
        telecom: input.telecom ? validTelecom(input.telecom) : undefined,
        address: input.address ? validAddress(input.address) : undefined,
      };
      if (!(await db.transaction((tx) => new PatientChanges(tx, scope).updateDemographics(id, change)))) throw notFound('Patient', id);
      return patients.load(id);
    },
    async addCoverage(
      _: unknown,
      { patientId, input, idempotencyKey }: { patientId: string; input: NewCoverage; idempotencyKey?: string },
      { db, scope, caller }: Context,
    ): Promise<Coverage | null> {
      scope.requireEveryRow('Adding a coverage');
      const coverage = validCoverage(input);
      return db.transaction(async (tx) => {
        const store = new PatientStore(tx, scope);
        await existingPatient(store, patientId);
        const id = await once(tx, { key: idempotencyKey, caller, operation: 'addCoverage' }, { patientId, coverage }, () => new PatientChanges(tx, scope).addCoverage(patientId, coverage));
        return store.coverageById(id);
      });
    },
    async resolveMatchReview(_: unknown, { id, decision }: { id: string; decision: 'LINKED' | 'NOT_DUPLICATE' }, { db, scope, caller }: Context) {
      scope.requireEveryRow('Deciding on a possible duplicate');
      return new MatchReviews(db, scope).decide(id, decision, caller?.subject ?? null);
    },
    async mergePatients(
      _: unknown,
      { survivorId, mergedId, reason }: { survivorId: string; mergedId: string; reason: string },
      { db, scope, caller }: Context,
    ): Promise<PatientMerge> {
      scope.requireEveryRow('Merging patients');
      const why = requiredText(reason, 'reason', MERGE_REASON_LENGTH);
      const merge = await db.transaction((tx) => new PatientMerges(tx, scope).merge(survivorId, mergedId, why, caller?.subject ?? null));
      // The merge's id, not a patient's: the action trail is read by operations, who see no patient.
      scope.acted('mergePatients', merge.id);
      return merge;
    },
    async unmergePatient(_: unknown, { mergedId, reason }: { mergedId: string; reason: string }, { db, scope, caller }: Context): Promise<PatientMerge> {
      scope.requireEveryRow('Unmerging a patient');
      const why = requiredText(reason, 'reason', MERGE_REASON_LENGTH);
      const merge = await db.transaction((tx) => new PatientMerges(tx, scope).unmerge(mergedId, why, caller?.subject ?? null));
      scope.acted('unmergePatient', merge.id);
      return merge;
    },
    async recordConsent(
      _: unknown,
      { patientId, input, idempotencyKey }: { patientId: string; input: NewConsent; idempotencyKey?: string },
      { db, scope, caller }: Context,
    ): Promise<Consent | null> {
      const consent = validConsent(input);
      return db.transaction(async (tx) => {
        const store = new PatientStore(tx, scope);
        await existingPatient(store, patientId);
        const id = await once(tx, { key: idempotencyKey, caller, operation: 'recordConsent' }, { patientId, consent }, () => new PatientChanges(tx, scope).recordConsent(patientId, consent));
        return store.consentById(id);
      });
    },
  },
};
