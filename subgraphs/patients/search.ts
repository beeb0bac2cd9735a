import type { Caller } from '../../platform/caller.ts';
import { ruleSetFor, strictness } from '../../platform/authorization/minimization-rules.ts';
import { DomainError, ErrorCode, badInput } from '../../platform/errors.ts';
import { requiredText } from '../../platform/validation.ts';
import type { MatchablePatient } from './match-index.ts';
import type { Address, ContactPoint, HumanName } from './model.ts';
import { validAddress, validBirthDate, validName, validNationalIdentifier, validTelecom } from './validation.ts';
import { minimizationPolicy, type MinimizationRule, type Transform } from '../../policies/minimization.ts';
import type { IdentifierKind, PatientSearchCriteria } from './patient-store.ts';

/**
 * How finely a caller may search patients: never more finely than it sees them ("minimization
 * cannot be undone"). A caller that sees names as initials searches by an initial; one that sees
 * birth dates as a year, by the year; an identifier is matched only among the kinds it sees in full.
 */
export interface SearchRights {
  name: 'prefix' | 'initial' | 'none';
  birthDate: 'date' | 'year' | 'none';
  identifiers: readonly IdentifierKind[];
  /** Phone numbers and email seen whole. */
  telecom: boolean;
  /** Address line, city and postal code seen whole. */
  address: boolean;
}

export interface PatientSearchInput {
  name?: string | null;
  birthDate?: string | null;
  birthYear?: number | null;
  identifier?: string | null;
}

/** The strictest transform the caller's rules give a field, reached through `via`, for an identifier of `kind`. */
function transformOf(rules: ReadonlyMap<string, readonly MinimizationRule[]>, coordinate: string, via?: string, kind?: IdentifierKind): Transform | undefined {
  const applying = (rules.get(coordinate) ?? []).filter(
    (rule) => (rule.via === undefined || rule.via === via) && (rule.when === undefined || (rule.when.field === 'type' && rule.when.equals === kind)),
  );
  return applying.sort((a, b) => strictness(b) - strictness(a))[0]?.transform;
}

/** `mayRead` answers the subgraph's own security directives for the caller (RequestScope.mayRead). */
export function searchRightsOf(caller: Caller | null, mayRead: (coordinate: string) => boolean): SearchRights {
  const rules = ruleSetFor(caller, minimizationPolicy).byCoordinate;
  const nameTransforms = ['family', 'given'].map((part) => transformOf(rules, `HumanName.${part}`, 'Patient.name'));
  const name = nameTransforms.every((transform) => transform === undefined) ? 'prefix' : nameTransforms.every((t) => t === undefined || t === 'initials') ? 'initial' : 'none';
  const birthTransform = transformOf(rules, 'Patient.birthDate');
  const birthDate = birthTransform === undefined ? 'date' : birthTransform === 'year' ? 'year' : 'none';
  const whole = (kind: IdentifierKind, field?: string) =>
    (field === undefined || (mayRead(field) && transformOf(rules, field) === undefined)) && transformOf(rules, 'Identifier.value', 'Patient.identifiers', kind) === undefined;
  const identifiers = ([['MR', 'Patient.mrn'], ['NI', 'Patient.nationalIdentifier'], ['MB', undefined]] as const).filter(([kind, field]) => whole(kind, field)).map(([kind]) => kind);
  const telecom = mayRead('Patient.telecom') && transformOf(rules, 'ContactPoint.value', 'Patient.telecom') === undefined;
  const address = ['line', 'city', 'postalCode'].every((field) => transformOf(rules, `Address.${field}`, 'Patient.address') === undefined);
  return { name, birthDate, identifiers, telecom, address };
}

/**
 * How a caller that may register patients asks for certain matches only: by every field.
 * registerPatient runs the same check on the same fields and names the patient it is certain of
 * (CONFLICT, CERTAIN_DUPLICATE); asked beforehand, nobody is registered to find out. No probable or
 * possible candidate is answered, so no field's agreement with one is told.
 */
export const registrationCheck: SearchRights = { name: 'prefix', birthDate: 'date', identifiers: ['MR', 'NI', 'MB'], telecom: true, address: true };

export const finerThanVisible = (field: string, message: string) =>
  new DomainError(ErrorCode.FORBIDDEN, message, { field, reason: 'SEARCH_FINER_THAN_VISIBLE' });

/** LIKE treats % and _ as wildcards; a name typed by a user must match literally. */
const likePrefix = (name: string) => name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

/** The search as the store runs it, refused where it asks more finely than the caller sees. */
export function searchCriteria(search: PatientSearchInput, rights: SearchRights): PatientSearchCriteria {
  const { name, birthDate, birthYear, identifier } = search;
  if (!name && !birthDate && birthYear == null && !identifier) {
    throw badInput('search needs a name, a birthDate, a birthYear or an identifier', { field: 'search' });
  }
  const criteria: PatientSearchCriteria = {};
  if (name) {
    const text = requiredText(name, 'search.name', 100);
    if (rights.name === 'none' || (rights.name === 'initial' && [...text].length > 1)) {
      throw finerThanVisible('search.name', rights.name === 'none' ? 'This caller may not search by name' : 'This caller sees names as initials: search by one letter');
    }
    criteria.namePrefix = likePrefix(text);
  }
  if (birthDate) {
    if (rights.birthDate !== 'date') throw finerThanVisible('search.birthDate', 'This caller may not search by exact birth date: search by birthYear');
    criteria.birthDate = birthDate;
  }
  if (birthYear != null) {
    if (rights.birthDate === 'none') throw finerThanVisible('search.birthYear', 'This caller may not search by birth date');
    if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 9999) throw badInput('search.birthYear is not a year', { field: 'search.birthYear' });
    criteria.birthYear = birthYear;
  }
  if (identifier) {
    if (rights.identifiers.length === 0) throw finerThanVisible('search.identifier', 'This caller sees no identifier in full: it may not search by one');
    criteria.identifier = { value: requiredText(identifier, 'search.identifier', 60), kinds: rights.identifiers };
  }
  return criteria;
}

export interface PatientMatchInput {
  name?: HumanName | null;
  birthDate?: string | null;
  gender?: string | null;
  nationalIdentifier?: string | null;
  telecom?: ContactPoint[] | null;
  address?: Address | null;
}

/**
 * The person to match, refused where it is given more finely than the caller sees: a field's
 * agreement would confirm a value the caller may not read (a name behind initials, a birth date
 * behind its year, an identifier, phone or address withheld or cut).
 */
export function matchProposal(input: PatientMatchInput, rights: SearchRights): MatchablePatient {
  if (!input.name && !input.birthDate && !input.nationalIdentifier) {
    throw badInput('patientMatch needs a name, a birthDate or a nationalIdentifier', { field: 'input' });
  }
  if (input.name && rights.name !== 'prefix') throw finerThanVisible('input.name', 'This caller does not see names in full: it may not match by name');
  if (input.birthDate && rights.birthDate !== 'date') throw finerThanVisible('input.birthDate', 'This caller does not see exact birth dates: it may not match by one');
  if (input.nationalIdentifier && !rights.identifiers.includes('NI')) {
    throw finerThanVisible('input.nationalIdentifier', 'This caller does not see national identifiers in full: it may not match by one');
  }
  if (input.telecom?.length && !rights.telecom) throw finerThanVisible('input.telecom', 'This caller does not see phone numbers in full: it may not match by one');
  if (input.address && !rights.address) throw finerThanVisible('input.address', 'This caller does not see addresses in full: it may not match by one');
  return {
    id: 'proposed',
    name: input.name ? validName(input.name) : null,
    birthDate: input.birthDate ? validBirthDate(input.birthDate) : null,
    gender: input.gender ?? null,
    nationalIdentifier: validNationalIdentifier(input.nationalIdentifier),
    telecom: input.telecom ? validTelecom(input.telecom) : null,
    address: validAddress(input.address),
  };
}

export function matchCount(count: number | null | undefined): number {
  const size = count ?? 10;
  if (!Number.isInteger(size) || size < 1 || size > 50) throw badInput('count must be between 1 and 50', { field: 'count' });
  return size;
}
