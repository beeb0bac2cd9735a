import { GraphQLError } from 'graphql';

/**
 * The stable codes a caller can see in `extensions.code`. Messages name ids, never patient data,
 * and never carry a stack trace or a database message.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** Over a quota of policies/quotas.ts; `reason` names which. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /** The audit trail cannot take the access record, so the patient data is not served. */
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failure the caller can act on; becomes a GraphQL error with a stable code. */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (entity: string, id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found`, { entity, id });
export const conflict = (reason: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.CONFLICT, message, { reason, ...details });
export const quotaExceeded = (reason: string, message: string, limit: number) =>
  new DomainError(ErrorCode.QUOTA_EXCEEDED, message, { reason, limit });
