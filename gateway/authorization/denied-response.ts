import { isListType, isNonNullType, type GraphQLFormattedError, type GraphQLOutputType } from 'graphql';
import { DomainError, ErrorCode } from '../../platform/errors.ts';
import { ADDED_TYPENAME, type AuthorizedOperation, type DeniedField } from './authorize-operation.ts';

type ResponseObject = Record<string, unknown>;

/** True when `object` itself must become null, because a non-null field in it had to. */
function nullInObject(object: ResponseObject, field: DeniedField, depth: number): boolean {
  const key = field.path[depth] ?? '';
  const type = field.pathTypes[depth] as GraphQLOutputType;
  if (depth === field.path.length - 1) {
    const typename = object[ADDED_TYPENAME];
    // Left alone where another selection fetched the key, or the object is not of a type it was denied on.
    if (key in object || (typename !== undefined && !field.onTypes.includes(String(typename)))) return false;
  } else if (!nullInValue(object[key], type, field, depth + 1)) {
    return false;
  }
  object[key] = null;
  return isNonNullType(type);
}

/** True when `value`, at a position of `type`, must become null. */
function nullInValue(value: unknown, type: GraphQLOutputType, field: DeniedField, depth: number): boolean {
  if (value === null || value === undefined) return false;
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (!isListType(nullable)) return nullInObject(value as ResponseObject, field, depth);
  const items = value as unknown[];
  for (const [index, item] of items.entries()) {
    if (!nullInValue(item, nullable.ofType, field, depth)) continue;
    if (isNonNullType(nullable.ofType)) return true;
    items[index] = null;
  }
  return false;
}

function* objectsAt(value: unknown, path: readonly string[]): Generator<ResponseObject> {
  if (Array.isArray(value)) {
    for (const item of value) yield* objectsAt(item, path);
  } else if (value !== null && typeof value === 'object') {
    const [key, ...rest] = path;
    if (key === undefined) yield value as ResponseObject;
    else yield* objectsAt((value as ResponseObject)[key], rest);
  }
}

/**
 * Puts each denied field back into the result as null, where it was selected, and strips the
 * `__typename` the rewrite added. A null in a non-null position spreads to the nearest nullable
 * parent, as GraphQL execution does: protected fields are best declared nullable.
 */
export function restoreDeniedFields(data: ResponseObject, authorized: AuthorizedOperation): ResponseObject | null {
  if (authorized.denied.some((field) => nullInObject(data, field, 0))) return null;
  for (const path of authorized.typenamePaths) {
    for (const object of objectsAt(data, path)) delete object[ADDED_TYPENAME];
  }
  return data;
}

export const forbiddenErrors = (denied: readonly DeniedField[]): GraphQLFormattedError[] =>
  denied.map(({ coordinate, path }) => ({
    message: `Not authorized to read ${coordinate}`,
    path: [...path],
    extensions: { code: ErrorCode.FORBIDDEN },
  }));

/** The one error of 'reject' mode, raised before any subgraph is called. */
export function operationForbidden(denied: readonly DeniedField[]): DomainError {
  const coordinates = [...new Set(denied.map((field) => field.coordinate))];
  return new DomainError(ErrorCode.FORBIDDEN, `Not authorized to read ${coordinates.join(', ')}`, {
    deniedPaths: denied.map((field) => field.path),
    http: { status: 403 },
  });
}
