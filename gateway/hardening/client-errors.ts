import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../platform/errors.ts';
import { maskUnexpectedErrors } from '../../platform/graphql-errors.ts';
import type { Logger } from '../../platform/logger.ts';

/**
 * The codes a subgraph's error may reach the caller with, message and details as the subgraph wrote them:
 * answers about the caller's own request. Anything else from a subgraph is an internal failure: its
 * INTERNAL_SERVER_ERROR, DOWNSTREAM_SERVICE_ERROR (@apollo/gateway's code for an error without one, such as
 * a database message from a subgraph that does not mask), GRAPHQL_VALIDATION_FAILED (gateway and subgraph
 * disagree on the schema).
 */
const CALLER_CODES: ReadonlySet<unknown> = new Set(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

/** graphql's schema hints, as Apollo Server's ApolloServerPluginDisableSuggestions removes them. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * The gateway's `formatError`: maskUnexpectedErrors, after rules of its own. An error passed through from a
 * subgraph (@apollo/gateway marks it with `serviceName`) with a code outside CALLER_CODES is unexpected; the
 * service's name goes to the log, not to the caller, to whom the graph is one service; no error keeps the
 * `exception` extension older servers put a stack trace in. With schema details hidden, "Did
 * you mean …?" goes from every message: Apollo Server's hideSchemaDetailsFromClientErrors only reaches
 * validation errors, not those of variable coercion (`Value "FULFILED" does not exist… Did you mean…`).
 */
export function gatewayErrorFormatter(logger: Logger, { hideSchemaDetails }: { hideSchemaDetails: boolean }) {
  const mask = maskUnexpectedErrors(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { exception: _, serviceName, ...extensions } = formatted.extensions ?? {};
    if (serviceName !== undefined) logger.info({ service: serviceName, code: extensions.code, path: formatted.path }, 'subgraph error');
    const unexpected = serviceName !== undefined && !CALLER_CODES.has(extensions.code);
    const masked = mask({ ...formatted, extensions: unexpected ? { ...extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } : extensions }, error);
    return hideSchemaDetails ? { ...masked, message: masked.message.replace(SUGGESTION, '') } : masked;
  };
}
