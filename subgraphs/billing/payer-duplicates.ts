import type { Payer } from './model.ts';

/** Words that name a company's legal form, not the company: "Harbor Mutual Health, Inc." is Harbor Mutual Health. */
const LEGAL_FORMS = new Set(['the', 'inc', 'incorporated', 'llc', 'ltd', 'limited', 'co', 'corp', 'corporation', 'company', 'plc', 'gmbh', 'ag', 'sa']);

/** A payer's name as compared: without accents, case, punctuation, legal form or spacing; `&` is "and". */
export function payerNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((word) => word !== '' && !LEGAL_FORMS.has(word))
    .join(' ');
}

/** An identifier as compared: letters and digits only, upper case ("12-3456789" is 123456789). */
export const payerIdentifierKey = (identifier: string) => identifier.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The payer among `known` that `candidate` duplicates: another id with the same name or the same
 * identifier once spelling is set aside. The same id is the same payer, being updated.
 */
export function duplicateOf(candidate: Payer, known: Iterable<Payer>): Payer | undefined {
  const name = payerNameKey(candidate.name);
  const identifier = candidate.identifier && payerIdentifierKey(candidate.identifier);
  for (const payer of known) {
    if (payer.id === candidate.id) continue;
    if (payerNameKey(payer.name) === name || (identifier && payer.identifier && payerIdentifierKey(payer.identifier) === identifier)) return payer;
  }
  return undefined;
}
