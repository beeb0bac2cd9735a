import { badInput } from '../../platform/errors.ts';
import { cappedList, optionalText, requiredText, requirePeriod } from '../../platform/validation.ts';
import { fieldLimits } from '../../policies/input-limits.ts';
import type { Address, ContactPoint, HumanName, NewConsent, NewCoverage } from './model.ts';

export function validName(name: HumanName): HumanName {
  const given = cappedList(name.given, 'name.given', fieldLimits.givenNames).map((part) => requiredText(part, 'name.given', 100));
  if (given.length === 0) throw badInput('name.given needs at least one given name', { field: 'name.given' });
  return { family: requiredText(name.family, 'name.family', 100), given };
}

export function validBirthDate(birthDate: string, today = new Date().toISOString().slice(0, 10)): string {
  if (birthDate > today) throw badInput('birthDate is in the future', { field: 'birthDate' });
  if (birthDate < '1900-01-01') throw badInput('birthDate is before 1900', { field: 'birthDate' });
  return birthDate;
}

export function validNationalIdentifier(value: string | null | undefined): string | null {
  const identifier = optionalText(value, 'nationalIdentifier', 20);
  if (identifier !== null && !/^[0-9A-Z-]{4,20}$/i.test(identifier)) {
    throw badInput('nationalIdentifier must be 4 to 20 letters, digits or dashes', { field: 'nationalIdentifier' });
  }
  return identifier;
}

export function validTelecom(telecom: ContactPoint[]): ContactPoint[] {
  return cappedList(telecom, 'telecom', fieldLimits.contactPoints).map((point) => {
    const value = requiredText(point.value, 'telecom.value', 120);
    if (point.system === 'EMAIL' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
      throw badInput('telecom.value is not an email address', { field: 'telecom.value' });
    }
    if (point.system !== 'EMAIL' && !/^\+?[0-9 ().-]{5,20}$/.test(value)) {
      throw badInput('telecom.value is not a phone number', { field: 'telecom.value' });
    }
    return { ...point, value };
  });
}

export function validAddress(address: Address | null | undefined): Address | null {
  if (!address) return null;
  return {
    line: cappedList(address.line, 'address.line', fieldLimits.addressLines).map((line) => requiredText(line, 'address.line')),
    city: requiredText(address.city, 'address.city', 100),
    state: optionalText(address.state, 'address.state', 100),
    postalCode: requiredText(address.postalCode, 'address.postalCode', 20),
    country: requiredText(address.country, 'address.country', 60),
  };
}

export function validCoverage(coverage: NewCoverage): NewCoverage {
  requirePeriod(coverage.start, coverage.end, 'coverage period');
  return {
    ...coverage,
    payerId: requiredText(coverage.payerId, 'payerId', 100),
    memberId: requiredText(coverage.memberId, 'memberId', 60),
    plan: requiredText(coverage.plan, 'plan', 100),
  };
}

export function validConsent(consent: NewConsent): NewConsent {
  requirePeriod(consent.start, consent.end, 'consent period');
  return consent;
}
