import { send, type GraphQLRequest } from './load/graphql-request.ts';

/**
 * Cost, tracing and other extensions differ by design; the data, the errors and each error's
 * `extensions.code` must not: a gateway answering FORBIDDEN where another answers
 * UPSTREAM_UNAVAILABLE does not give the same response.
 */
function comparable(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { data, errors } = body as { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
  return {
    data,
    errors: errors?.map(({ extensions, ...error }) => ({ ...error, code: extensions?.code })),
  };
}

/** Every request's response as compared across targets: status, data, errors and their codes. */
export async function responsesOf(url: string, requests: GraphQLRequest[], concurrency = 8): Promise<string[]> {
  const responses: string[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const { status, body } = await send(url, requests[i]!);
      responses[i] = `${status} ${JSON.stringify(comparable(body))}`;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return responses;
}

/** The first request whose response differs from the reference's, described; undefined when all match. */
export function firstDifference(reference: string[], responses: string[], requests: GraphQLRequest[]): string | undefined {
  const index = responses.findIndex((response, i) => response !== reference[i]);
  if (index < 0) return undefined;
  const clip = (text: string | undefined) => (text && text.length > 300 ? `${text.slice(0, 300)}…` : text);
  return `request ${index} (${requests[index]!.label}): expected ${clip(reference[index])}, got ${clip(responses[index])}`;
}

/** How many reference responses carry GraphQL errors: identical errors are still errors. */
export const withErrors = (responses: string[]) => responses.filter((response) => response.includes('"errors":[')).length;
