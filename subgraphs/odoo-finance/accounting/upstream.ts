import { DomainError, ErrorCode } from '../../../platform/errors.ts';
import { OdooError, OdooMissingError } from '../odoo/errors.ts';

/**
 * An Odoo failure as the graph's caller sees it: a record Odoo does not have is NOT_FOUND; any other
 * (down, open circuit, refused credentials) is UPSTREAM_UNAVAILABLE on that field alone, and the rest
 * of the response still answers. Odoo's message stays out: it may quote data.
 */
function graphError(error: unknown): unknown {
  if (error instanceof OdooMissingError) return new DomainError(ErrorCode.NOT_FOUND, 'Odoo has no such record');
  if (error instanceof OdooError) return new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, 'Odoo did not answer');
  return error;
}

export async function fromOdoo<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw graphError(error);
  }
}

/** For a field that points at an Odoo record: one Odoo no longer has reads as null. */
export async function orNullIfGone<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OdooMissingError) return null;
    throw graphError(error);
  }
}
