import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  GraphQLError,
  GraphQLScalarType,
  isInputType,
  isNonNullType,
  typeFromAST,
  validate,
  ValuesOfCorrectTypeRule,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { DomainError, ErrorCode, type InputReason } from '../../platform/errors.ts';
import { DateScalar, DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { apiSchemaOf } from '../api-schema.ts';

/** The custom scalars' rules, as the subgraphs parse them; the supergraph declares only their names. */
const scalarRules: GraphQLScalarType[] = [DateScalar, DateTimeScalar];

/** The API schema with the scalars' rules: a copy of its own, so no other plugin's schema changes. */
function schemaWithScalarRules(supergraphSdl: string): GraphQLSchema {
  const schema = apiSchemaOf(supergraphSdl);
  for (const rules of scalarRules) {
    const declared = schema.getType(rules.name);
    if (declared instanceof GraphQLScalarType) Object.assign(declared, { parseValue: rules.parseValue, parseLiteral: rules.parseLiteral });
  }
  return schema;
}

/** The scalar's own explanation when it is one of ours (they never repeat the value); else only the expected type. */
const explanation = (error: GraphQLError | undefined) => (error?.originalError instanceof DomainError ? `: ${error.originalError.message}` : '');

const invalid = (message: string, nodes?: ReadonlyArray<ASTNode>) =>
  new GraphQLError(message, { nodes, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_VALUE' satisfies InputReason, http: { status: 400 } } });

/**
 * Every input of its type before planning: a malformed Date went on to the subgraph, whose refusal came back as
 * UPSTREAM_UNAVAILABLE ("the patients service is unavailable"). Variables are coerced here as graphql would,
 * with the Date and DateTime rules, and values written in the document are checked against those rules too
 * (Apollo Server validated the rest). Messages name the variable and the path in it, never the value, which
 * graphql's own messages repeat and which may be patient data.
 */
export function inputTypesPlugin(supergraphSdl: string): ApolloServerPlugin {
  const schema = schemaWithScalarRules(supergraphSdl);
  // The document's own values are the same every time it comes: Apollo Server hands back one parsed document
  // per query. The finding is kept, and each request gets an error of its own (later plugins may change it).
  const literalChecks = new WeakMap<DocumentNode, GraphQLError | null>();
  const literalRefusal = (document: DocumentNode): GraphQLError | undefined => {
    let literal = literalChecks.get(document);
    if (literal === undefined) literalChecks.set(document, (literal = validate(schema, document, [ValuesOfCorrectTypeRule])[0] ?? null));
    return literal ? invalid(`A value in the document is not of its type${explanation(literal)}`, literal.nodes) : undefined;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          for (const definition of operation?.variableDefinitions ?? []) {
            const name = definition.variable.name.value;
            const type = typeFromAST(schema, definition.type);
            if (!type || !isInputType(type)) continue;
            const value = request.variables?.[name];
            if (value === undefined) {
              if (isNonNullType(type) && !definition.defaultValue) throw invalid(`Variable "$${name}" of type ${type} was not given`, [definition]);
              continue;
            }
            coerceInputValue(value, type, (path, _value, error) => {
              const where = path.length > 0 ? ` at "${path.join('.')}"` : '';
              throw invalid(`Variable "$${name}" has a value${where} that is not a valid ${typeAt(error)}${explanation(error)}.${suggestion(error)}`, [definition]);
            });
          }
          const refusal = literalRefusal(document);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** graphql's messages name the type they expected: `Expected type "Date".`, `Int cannot represent…`, `…in "AppointmentStatus" enum.` */
function typeAt(error: GraphQLError): string {
  const { message } = error;
  return /^Expected type "([^"]+)"/.exec(message)?.[1] ?? /^(\w+) cannot represent/.exec(message)?.[1] ?? /in "(\w+)" enum/.exec(message)?.[1] ?? 'input';
}

/** graphql's "Did you mean …?" names the schema's values, not the caller's; the error formatter drops it outside embedded mode. */
const suggestion = (error: GraphQLError) => / Did you mean .+\?$/.exec(error.message)?.[0] ?? '';
