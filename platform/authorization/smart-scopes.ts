/**
 * SMART App Launch v2 scope matching. A SMART scope reads `<context>/<resource>.<permissions>[?query]`:
 * context is patient, user or system; resource a FHIR type or `*`; permissions a set of the letters
 * c r u d s (the v1 forms read, write and * stand for rs, cud and cruds).
 *
 * A required scope such as `user/Patient.r` is granted by a caller's scope with the same context,
 * the same resource or `*`, permissions that hold every required letter, and no query or the same
 * query: `user/Patient.rs`, `user/Patient.cruds` and `user/*.r` all grant it; `patient/Patient.rs`
 * and `user/Patient.s` do not. Any other scope (`openid`, `admin`) is granted only by itself.
 */
const SMART_SCOPE = /^(patient|user|system)\/([A-Za-z]+|\*)\.(read|write|\*|[cruds]+)(?:\?(.*))?$/;
const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };

interface SmartScope {
  context: string;
  resource: string;
  permissions: string;
  query: string | undefined;
}

function smartScope(scope: string): SmartScope | undefined {
  const match = SMART_SCOPE.exec(scope);
  if (!match) return undefined;
  const [, context = '', resource = '', permissions = '', query] = match;
  return { context, resource, permissions: V1_PERMISSIONS[permissions] ?? permissions, query };
}

const covers = (held: SmartScope, needed: SmartScope) =>
  held.context === needed.context &&
  (held.resource === '*' || held.resource === needed.resource) &&
  [...needed.permissions].every((letter) => held.permissions.includes(letter)) &&
  (held.query === undefined || held.query === needed.query);

export function grantsScope(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  const needed = smartScope(required);
  return (
    needed !== undefined &&
    granted.some((scope) => {
      const held = smartScope(scope);
      return held !== undefined && covers(held, needed);
    })
  );
}
