/**
 * Odoo's failures as typed errors. Built from the exception's name and message only: Odoo's
 * `debug` (a Python traceback), `arguments` and `context` are dropped so they never reach a
 * message, a log line or a caller.
 */
export class OdooError extends Error {
  override name = 'OdooError';
  constructor(
    message: string,
    /** Odoo's exception name, e.g. "odoo.exceptions.UserError". */
    readonly odooName?: string,
    /** HTTP status, where the transport has one that means something (JSON-2, proxies). */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** AccessError, AccessDenied, a rejected login or API key (HTTP 401/403). */
export class OdooAccessError extends OdooError {
  override name = 'OdooAccessError';
}

/** UserError: the request makes no sense for the record's state (posting an empty invoice...). */
export class OdooUserError extends OdooError {
  override name = 'OdooUserError';
}

/** ValidationError: a constraint refused the values. */
export class OdooValidationError extends OdooError {
  override name = 'OdooValidationError';
}

/** MissingError: the record does not exist or was deleted (HTTP 404). */
export class OdooMissingError extends OdooError {
  override name = 'OdooMissingError';
}

/** Network failure, timeout, 5xx or a database serialization failure: trying again may work. */
export class OdooTransientError extends OdooError {
  override name = 'OdooTransientError';
  constructor(
    message: string,
    /** True when the request may have reached Odoo and been carried out (a timeout, a reset). */
    readonly outcomeUnknown: boolean,
    odooName?: string,
    httpStatus?: number,
  ) {
    super(message, odooName, httpStatus);
  }
}

/** The settings cannot work with the Odoo they name (JSON-2 before Odoo 19...): no retry will help. */
export class OdooConfigurationError extends OdooError {
  override name = 'OdooConfigurationError';
}

/** The circuit breaker is open: Odoo failed repeatedly and is not called until the cool-down ends. */
export class OdooUnavailableError extends OdooError {
  override name = 'OdooUnavailableError';
  constructor(readonly retryAfterMs: number) {
    super(`Odoo is unavailable; next attempt in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

type ErrorClass = new (message: string, odooName?: string, httpStatus?: number) => OdooError;

const BY_NAME: Record<string, ErrorClass> = {
  'odoo.exceptions.AccessError': OdooAccessError,
  'odoo.exceptions.AccessDenied': OdooAccessError,
  'werkzeug.exceptions.Unauthorized': OdooAccessError,
  'werkzeug.exceptions.Forbidden': OdooAccessError,
  'odoo.exceptions.UserError': OdooUserError,
  'odoo.exceptions.RedirectWarning': OdooUserError,
  'odoo.exceptions.ValidationError': OdooValidationError,
  'odoo.exceptions.MissingError': OdooMissingError,
  'werkzeug.exceptions.NotFound': OdooMissingError,
};

const BY_STATUS: Record<number, ErrorClass> = { 401: OdooAccessError, 403: OdooAccessError, 404: OdooMissingError };

/**
 * Odoo retries serialization failures itself (5 tries) and then gives up with the psycopg2 error
 * (up to 17) or odoo.exceptions.ConcurrencyError (from 18). The transaction was rolled back.
 */
const isConcurrencyFailure = (name: string, message: string) =>
  /SerializationFailure|TransactionRollbackError|ConcurrencyError|DeadlockDetected/.test(name) ||
  message.includes('could not serialize access');

/** What JSON-RPC's `error.data` and JSON-2's error body have in common. */
export interface OdooErrorDetail {
  name?: unknown;
  message?: unknown;
}

/** Maps Odoo's error detail (and the HTTP status, if any) to a typed error. */
export function odooError(detail: OdooErrorDetail | undefined, httpStatus?: number): OdooError {
  const name = typeof detail?.name === 'string' ? detail.name : undefined;
  const message = typeof detail?.message === 'string' ? detail.message : `Odoo answered HTTP ${httpStatus ?? '?'}`;
  if (name && isConcurrencyFailure(name, message)) return new OdooTransientError(message, false, name, httpStatus);
  const known = (name && BY_NAME[name]) || (httpStatus && BY_STATUS[httpStatus]);
  if (known) return new known(message, name, httpStatus);
  // A 5xx with an Odoo exception name is Odoo's code failing the same way each time; without one
  // it comes from a proxy or a restarting server. 503 means the request was not processed.
  if (httpStatus && httpStatus >= 500 && !name) return new OdooTransientError(message, httpStatus !== 503, name, httpStatus);
  return new OdooError(message, name, httpStatus);
}

/** The message Odoo gives for ids that do not exist, as one typed error. */
export const missingRecords = (model: string, ids: readonly number[]) =>
  new OdooMissingError(`Record does not exist or has been deleted. (Record: ${model}(${ids.join(', ')},))`);
