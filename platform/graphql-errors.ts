import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDatabaseUnavailable } from './database/unavailable.ts';
import { DomainError, ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * Apollo Server `formatError`: errors we raised on purpose (DomainError) and Apollo's own request
 * errors keep their stable code; a database that cannot be reached is UPSTREAM_UNAVAILABLE; anything unexpected (a bug, a database message) is logged by kind
 * only and reaches the caller as a bare INTERNAL_SERVER_ERROR.
 */
export function maskUnexpectedErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (original instanceof DomainError || (code && code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { ...formatted.extensions, stacktrace: undefined } };
    }
    const cause = original as { name?: string; code?: unknown; constraint?: unknown };
    // A database that is down or restarting: the caller may try again, as for any service that is down.
    if (isDatabaseUnavailable(original)) {
      logger.warn({ path: formatted.path, err: { name: cause.name, code: cause.code } }, 'database unavailable');
      return { message: 'The database is unavailable; try again shortly', path: formatted.path, extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, service: 'database' } };
    }
    logger.error({ path: formatted.path, err: { name: cause?.name, code: cause?.code, constraint: cause?.constraint } }, 'unexpected error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
