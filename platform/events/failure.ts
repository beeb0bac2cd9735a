/** What is kept of an error: a stable code and a short message, never a stack or the event's data. */
export interface Failure {
  code: string;
  message: string;
}

const MAX_MESSAGE = 300;

/** The code is the error's own (`extensions.code`, Node's `code`), else its class: node-redis errors leave `name` as 'Error'. */
export function describeFailure(error: unknown): Failure {
  const { extensions, code, message } = (error ?? {}) as { extensions?: { code?: unknown }; code?: unknown; message?: string };
  const stable = [extensions?.code, code].find((candidate) => typeof candidate === 'string') as string | undefined;
  const kind = error instanceof Object ? error.constructor.name : 'UNKNOWN';
  return { code: stable ?? kind, message: String(message ?? error).slice(0, MAX_MESSAGE) };
}
