import { bindArguments, findMethod, rethrownAs } from './dispatch.ts';
import type { Env } from './env.ts';
import { BadRequest, NotFound, OdooException, Unauthorized, UnprocessableEntity, serializeException } from './exceptions.ts';
import type { Credentials } from './json-rpc.ts';

export interface Json2Request {
  model: string;
  method: string;
  authorization: string | undefined;
  body: unknown;
}

/**
 * Odoo 19's /json/2/<model>/<method>: a bearer API key, named arguments plus `ids` and `context`
 * in a JSON object; 200 with the result, or the exception's HTTP status with it serialized.
 * X-Odoo-Database is optional and this server hosts one database, so it is not checked.
 */
export function answerJson2(env: Env, credentials: Credentials, request: Json2Request): { status: number; body: unknown } {
  try {
    return { status: 200, body: call(env, credentials, request) ?? null };
  } catch (error) {
    return { status: error instanceof OdooException ? error.httpStatus : 500, body: serializeException(error) };
  }
}

function call(env: Env, credentials: Credentials, { model: modelName, method: methodName, authorization, body }: Json2Request): unknown {
  if (/^bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] !== credentials.apiKey) throw Unauthorized('Invalid apikey');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw BadRequest('could not parse the body, expecting a json object');
  const { ids = [], context = {}, ...named } = body as Record<string, unknown>;
  const model = env.models.get(modelName);
  if (!model) throw NotFound(`the model '${modelName}' does not exist`);
  const method = rethrownAs(NotFound, () => findMethod(model, methodName));
  const recordIds = (Array.isArray(ids) ? ids : [ids]).map(Number);
  if (method.api === 'model' && recordIds.length > 0) throw UnprocessableEntity(`cannot call ${modelName}.${methodName} with ids`);
  const args = rethrownAs(UnprocessableEntity, () => bindArguments(method, methodName, [], named));
  return method.run({ env, model, ids: recordIds, args, context: context as Record<string, unknown> });
}
