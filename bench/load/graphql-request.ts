/** One request a virtual user sends: a GraphQL body and its headers (the caller's token, if any). */
export interface GraphQLRequest {
  /** What the request is, for reports: "patient overview", "day schedule"... */
  label: string;
  body: string;
  headers: Record<string, string>;
}

export function graphqlRequest(label: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): GraphQLRequest {
  return { label, body: JSON.stringify({ query, variables }), headers: { 'content-type': 'application/json', ...headers } };
}

/** Sends one request; answers the HTTP status and the parsed body. */
export async function send(url: string, request: GraphQLRequest): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Polls until the endpoint answers a trivial query with 200, so load starts on a ready server. */
export async function waitUntilServing(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = graphqlRequest('readiness', '{ __typename }', {});
  for (;;) {
    const status = await send(url, probe).then(({ status }) => status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
