import type { DocumentNode, ParseOptions } from 'graphql';
import { ErrorCode } from '../../platform/errors.ts';
import { measureDocument, type OperationShape } from './operation-shape.ts';

/** The `extensions.code` of each operation limit; every one is answered with HTTP 400. */
export type OperationLimitCode = Extract<ErrorCode, `MAX_${string}_EXCEEDED`>;

export interface OperationLimits {
  /** Lexical tokens the parser reads before it gives up; enforced by graphql's `parse`, see `operationParseOptions`. */
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
}

/**
 * Room for every screen the portal and mobile apps draw and for graphql's standard introspection query
 * (163 tokens, depth 15), not for a recursive walk (Patient.referredBy, __Type.ofType) or alias fan-out.
 */
export const defaultOperationLimits: OperationLimits = {
  maxTokens: 2000,
  maxDepth: 20,
  maxAliases: 30,
  maxRootFields: 20,
  maxDirectives: 50,
};

/** For ApolloServer's `parseOptions`: the token limit is the one limit that must stop the parser itself. */
export function operationParseOptions(limits: OperationLimits = defaultOperationLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

export interface LimitViolation {
  code: OperationLimitCode;
  message: string;
  limit: number;
  measured: number;
}

const checks: ReadonlyArray<{ measure: keyof OperationShape; limit: keyof OperationLimits; code: OperationLimitCode; what: string }> = [
  { measure: 'depth', limit: 'maxDepth', code: ErrorCode.MAX_DEPTH_EXCEEDED, what: 'depth' },
  { measure: 'aliases', limit: 'maxAliases', code: ErrorCode.MAX_ALIASES_EXCEEDED, what: 'alias count' },
  { measure: 'rootFields', limit: 'maxRootFields', code: ErrorCode.MAX_ROOT_FIELDS_EXCEEDED, what: 'root field count' },
  { measure: 'directives', limit: 'maxDirectives', code: ErrorCode.MAX_DIRECTIVES_EXCEEDED, what: 'directive count' },
];

/** Every limit the document goes over, in the order depth, aliases, root fields, directives. */
export function checkOperationLimits(document: DocumentNode, limits: OperationLimits = defaultOperationLimits): LimitViolation[] {
  const shape = measureDocument(document);
  return checks
    .filter((check) => shape[check.measure] > limits[check.limit])
    .map((check) => ({
      code: check.code,
      message: `Operation ${check.what} ${shape[check.measure]} exceeds the limit of ${limits[check.limit]}`,
      limit: limits[check.limit],
      measured: shape[check.measure],
    }));
}
