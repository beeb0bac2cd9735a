import { describe, expect, it } from 'vitest';
import {
  OdooAccessError,
  OdooError,
  odooError,
  OdooMissingError,
  OdooTransientError,
  OdooUserError,
  OdooValidationError,
} from '../../subgraphs/odoo-finance/odoo/errors.ts';

const debug = 'Traceback (most recent call last):\n  File "/opt/odoo/odoo/http.py", line 2212\n';

describe('odooError: Odoo exceptions as typed errors', () => {
  it.each([
    ['odoo.exceptions.AccessError', undefined, OdooAccessError],
    ['odoo.exceptions.AccessDenied', undefined, OdooAccessError],
    ['werkzeug.exceptions.Unauthorized', 401, OdooAccessError],
    ['odoo.exceptions.UserError', 422, OdooUserError],
    ['odoo.exceptions.ValidationError', 422, OdooValidationError],
    ['odoo.exceptions.MissingError', 404, OdooMissingError],
    ['werkzeug.exceptions.NotFound', 404, OdooMissingError],
    [undefined, 403, OdooAccessError],
    [undefined, 404, OdooMissingError],
  ])('maps %s (HTTP %s)', (name, status, expected) => {
    const payload = { name, message: 'Refused', arguments: ['Refused'], debug };
    const error = odooError(payload, status);
    expect(error).toBeInstanceOf(expected);
    expect(error.message).toBe('Refused');
    expect(JSON.stringify(error)).not.toContain('Traceback');
  });

  it.each([
    ['psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update'],
    ['odoo.exceptions.ConcurrencyError', 'Concurrent update'],
  ])('treats %s as transient: Odoo rolled the transaction back', (name, message) => {
    const error = odooError({ name, message }, 500);
    expect(error).toBeInstanceOf(OdooTransientError);
    expect((error as OdooTransientError).outcomeUnknown).toBe(false);
  });

  it('treats a 5xx without an Odoo exception as transient; only a 503 surely did nothing', () => {
    expect(odooError(undefined, 503)).toMatchObject({ name: 'OdooTransientError', outcomeUnknown: false });
    expect(odooError(undefined, 502)).toMatchObject({ name: 'OdooTransientError', outcomeUnknown: true });
  });

  it('keeps a Python exception from Odoo as a plain OdooError: retrying would fail the same way', () => {
    const error = odooError({ name: 'builtins.ValueError', message: "Invalid field 'x' on model 'res.partner'" }, 500);
    expect(error).toBeInstanceOf(OdooError);
    expect(error).not.toBeInstanceOf(OdooTransientError);
    expect(error.odooName).toBe('builtins.ValueError');
  });
});
