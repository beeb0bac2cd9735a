import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * Apollo Server `formatError`: errors we raised on purpose (DomainError) and Apollo's own request
 * errors keep their stable code; anything unexpected (a bug, a database message) is logged by kind
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
    logger.error({ path: formatted.path, err: { name: cause?.name, code: cause?.code, constraint: cause?.constraint } }, 'unexpected error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
