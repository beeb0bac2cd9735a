/**
 * Odoo's exceptions as the external API shows them: the Python class's qualified name, its
 * message and, for JSON-2, its HTTP status (UserError 422, AccessDenied 403, MissingError 404...).
 */
export class OdooException extends Error {
  constructor(
    readonly pythonName: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

const exception = (pythonName: string, httpStatus: number) => (message: string) =>
  new OdooException(pythonName, message, httpStatus);

export const UserError = exception('odoo.exceptions.UserError', 422);
export const ValidationError = exception('odoo.exceptions.ValidationError', 422);
export const MissingError = exception('odoo.exceptions.MissingError', 404);
export const AccessDenied = exception('odoo.exceptions.AccessDenied', 403);
export const AccessError = exception('odoo.exceptions.AccessError', 403);
export const ValueError = exception('builtins.ValueError', 500);
export const PythonTypeError = exception('builtins.TypeError', 500);
export const AttributeError = exception('builtins.AttributeError', 500);
export const NameError = exception('builtins.NameError', 500);
export const OperationalError = exception('psycopg2.OperationalError', 500);
export const NotFound = exception('werkzeug.exceptions.NotFound', 404);
export const BadRequest = exception('werkzeug.exceptions.BadRequest', 400);
export const Unauthorized = exception('werkzeug.exceptions.Unauthorized', 401);
export const UnprocessableEntity = exception('werkzeug.exceptions.UnprocessableEntity', 422);

/** A failed SQL constraint, as Odoo words it. */
export const constraintFailed = (message: string) => ValidationError(`The operation cannot be completed: ${message}`);

export const recordMissing = (model: string, ids: number[], uid: number) =>
  MissingError(`Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: ${uid})`);

/**
 * odoo.http.serialize_exception: what both protocols send. `debug` carries a traceback as Odoo's
 * does, so clients are tested for keeping it out of their messages.
 */
export function serializeException(error: unknown) {
  const exc = error instanceof OdooException ? error : new OdooException('builtins.RuntimeError', 'internal server error', 500);
  const { pythonName: name, message, httpStatus } = exc;
  return {
    name,
    message,
    arguments: name.startsWith('werkzeug.') ? [message, httpStatus] : [message],
    context: {},
    debug: `Traceback (most recent call last):\n  File "bundled-odoo", line 1, in dispatch\n${name}: ${message}\n`,
  };
}
