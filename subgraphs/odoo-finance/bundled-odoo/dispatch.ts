import type { Method, Model } from './env.ts';
import { AttributeError, OdooException, PythonTypeError } from './exceptions.ts';
import { ormMethods } from './orm.ts';

export function findMethod(model: Model, name: string): Method {
  if (name.startsWith('_')) throw AttributeError(`Private methods (such as '${name}') cannot be called remotely.`);
  const method = model.methods?.[name] ?? ormMethods[name];
  if (!method) throw AttributeError(`The method '${name}' does not exist on the model '${model.name}'`);
  return method;
}

/** Binds positional and named arguments to the method's parameters, as Python would. */
export function bindArguments(method: Method, name: string, positional: unknown[], named: Record<string, unknown>): Record<string, unknown> {
  const names = method.params.map((param) => param.replace('?', ''));
  if (positional.length > names.length) throw PythonTypeError(`${name}() takes ${names.length} positional arguments but ${positional.length} were given`);
  const args: Record<string, unknown> = Object.fromEntries(positional.map((value, index) => [names[index], value]));
  for (const [key, value] of Object.entries(named)) {
    if (!names.includes(key)) throw PythonTypeError(`${name}() got an unexpected keyword argument '${key}'`);
    if (key in args) throw PythonTypeError(`${name}() got multiple values for argument '${key}'`);
    args[key] = value;
  }
  const missing = method.params.filter((param) => !param.endsWith('?') && !(param in args));
  if (missing.length > 0) throw PythonTypeError(`${name}() missing required argument(s): ${missing.join(', ')}`);
  return args;
}

/** Runs `step`, turning its Odoo exception into the one a protocol answers with (JSON-2's HTTP errors). */
export function rethrownAs<T>(raise: (message: string) => OdooException, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw error instanceof OdooException ? raise(error.message) : error;
  }
}
