import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../platform/errors.ts';
import { checkOperationLimits, defaultOperationLimits, type OperationLimits } from './operation-limits.ts';

/** graphql 16 words it "more that"; later versions may fix the typo. */
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] \d+ tokens/;

/**
 * Rejects operations over the limits with HTTP 400 and a code per limit, before any subgraph is called.
 *
 * The check runs in `didResolveOperation`: it is the first hook after parsing whose thrown error Apollo Server
 * turns into a GraphQL response; an error thrown from `didResolveSource`, `parsingDidStart` or `validationDidStart`
 * escapes the request pipeline as a bare 500. It runs after validation, which the parser's token limit
 * (`operationParseOptions`, set as ApolloServer's `parseOptions`) keeps bounded, and before execution, where
 * @apollo/gateway plans. It also runs for documents served from Apollo's parsed-document cache.
 */
export function operationLimitsPlugin<TContext extends BaseContext>(
  limits: Partial<OperationLimits> = {},
): ApolloServerPlugin<TContext> {
  const effective = { ...defaultOperationLimits, ...limits };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document }) {
          const [violation] = checkOperationLimits(document, effective);
          if (violation) {
            throw new GraphQLError(violation.message, {
              extensions: { code: violation.code, limit: violation.limit, measured: violation.measured, http: { status: 400 } },
            });
          }
        },
        async willSendResponse({ response }) {
          labelTokenLimitErrors(response.body);
        },
      };
    },
  };
}

/** The parser's token limit surfaces as a plain GRAPHQL_PARSE_FAILED; give it its own code. */
function labelTokenLimitErrors(body: GraphQLResponse['body']): void {
  if (body.kind !== 'single' || !body.singleResult.errors) return;
  body.singleResult.errors = body.singleResult.errors.map((error) =>
    error.extensions?.code === ErrorCode.GRAPHQL_PARSE_FAILED && TOKEN_LIMIT_MESSAGE.test(error.message)
      ? { ...error, extensions: { ...error.extensions, code: ErrorCode.MAX_TOKENS_EXCEEDED } }
      : error,
  );
}
