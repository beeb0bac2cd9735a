/** What came back, whatever the gateway's layer that answered (HTTP handler, Apollo Server, plugins). */
export interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }>; extensions?: Record<string, any> };
}

type HeaderRecord = Record<string, string>;

export interface HostileRequest {
  name: string;
  send(url: string, headers: HeaderRecord): Promise<Answer>;
  status: number;
  code: string;
  message?: RegExp;
  /** A GraphQL document that reaches Apollo Server's request pipeline: what safelist mode swaps and refuses. */
  document?: true;
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

export const postJson = (url: string, body: unknown, headers: HeaderRecord = {}): Promise<Answer> =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(answerOf);

const getWith = (document: string, extraHeaders: HeaderRecord = {}) => (url: string, headers: HeaderRecord) =>
  fetch(`${url}?query=${encodeURIComponent(document)}`, { headers: { ...headers, ...extraHeaders } }).then(answerOf);

const postAs = (contentType: string) => (url: string, headers: HeaderRecord) =>
  fetch(url, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body: JSON.stringify({ query: '{ practitioners { id } }' }) }).then(answerOf);

const operation = (query: string, variables?: Record<string, unknown>, operationName?: string) => (url: string, headers: HeaderRecord) =>
  postJson(url, { query, variables, operationName }, headers);

const repeat = (times: number, text: (i: number) => string) => Array.from({ length: times }, (_, i) => text(i)).join(' ');

const LIST_QUERY = 'query ($s: [AppointmentStatus!]) { appointments(filter: { status: $s }, first: 1) { id } }';

/** 31 aliases, one over the limit, well inside the token limit. */
export const ALIAS_OVERLOADING = `{ practitioners { ${repeat(31, (i) => `a${i}: id`)} } }`;

/** The issue-4 catalogue: each request, the status and code that refuse it. */
export const hostileRequests: HostileRequest[] = [
  { name: 'alias overloading', send: operation(ALIAS_OVERLOADING), status: 400, code: 'MAX_ALIASES_EXCEEDED', document: true },
  { name: 'thousands of aliases', send: operation(`{ practitioners { ${repeat(1000, (i) => `a${i}: id`)} } }`), status: 400, code: 'MAX_TOKENS_EXCEEDED', document: true },
  // graphql's OverlappingFieldsCanBeMerged gives up past its complexity budget rather than compare 2 million pairs.
  { name: 'one field 1990 times', send: operation(`{ practitioners { ${repeat(1990, () => 'id')} } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /Validation aborted/, document: true },
  { name: 'one field 5000 times', send: operation(`{ practitioners { ${repeat(5000, () => 'id')} } }`), status: 400, code: 'MAX_TOKENS_EXCEEDED', document: true },
  { name: 'directive overloading', send: operation(`{ practitioners { ${repeat(60, () => 'id @include(if: true)')} } }`), status: 400, code: 'MAX_DIRECTIVES_EXCEEDED', document: true },
  { name: 'thousands of directives', send: operation(`{ practitioners { id ${repeat(1000, () => '@include(if: true)')} } }`), status: 400, code: 'MAX_TOKENS_EXCEEDED', document: true },
  {
    name: 'deep nesting',
    send: operation(`{ patient(id: "pat-0001") { ${'appointments { patient { '.repeat(10)} id ${'} } '.repeat(10)} } }`),
    status: 400,
    code: 'MAX_DEPTH_EXCEEDED',
    document: true,
  },
  {
    name: 'circular fragments',
    send: operation(`{ patient(id: "pat-0001") { ...A } }
      fragment A on Patient { appointments { patient { ...B } } }
      fragment B on Patient { appointments { patient { ...A } } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /Cannot spread fragment "A" within itself/,
    document: true,
  },
  // graphql's MaxIntrospectionDepthRule counts fields, interfaces, possibleTypes and inputFields...
  {
    name: 'circular introspection through fields',
    send: operation('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /Maximum introspection depth exceeded/,
    document: true,
  },
  // ...not ofType: the depth limit stops that walk.
  { name: 'circular introspection through ofType', send: operation(`{ __type(name: "Patient") { ${'ofType { '.repeat(20)} name ${'} '.repeat(20)} } }`), status: 400, code: 'MAX_DEPTH_EXCEEDED', document: true },
  {
    name: 'a batched array',
    send: (url, headers) => postJson(url, [{ query: '{ practitioners { id } }' }, { query: '{ locations { id } }' }], headers),
    status: 400,
    code: 'BAD_REQUEST',
    message: /Operation batching disabled/,
  },
  {
    name: 'variables over the body limit',
    send: operation('query ($name: String!) { patients(search: { name: $name }) { pageInfo { hasNextPage } } }', { name: 'x'.repeat(1_100_000) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  { name: 'an oversized document', send: operation(`{ practitioners { id } } # ${'x'.repeat(1_100_000)}`), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  // Demand control prices a list of enums at 0; the input limits stop it before a subgraph's SQL sees it.
  {
    name: 'a 100 000-item list variable',
    send: operation(LIST_QUERY, { s: Array(100_000).fill('BOOKED') }),
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /holds a list of more than 1000 items/,
    document: true,
  },
  {
    name: 'a variable nested 50 000 lists deep',
    // Written by hand: JSON.stringify would overflow this side's stack first.
    send: (url, headers) => postJson(url, `{ "query": ${JSON.stringify(LIST_QUERY)}, "variables": { "s": ${'['.repeat(50_000)}${']'.repeat(50_000)} } }`, headers),
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /is nested deeper than 16 levels/,
    document: true,
  },
  { name: 'a page of a million', send: operation('{ appointments(filter: {}, first: 1000000) { id } }'), status: 400, code: 'COST_LIMIT_EXCEEDED', document: true },
  {
    name: 'a mutation over GET',
    send: getWith('mutation { markNoShow(id: "apt-x") { id } }', { 'apollo-require-preflight': 'true' }),
    status: 405,
    code: 'BAD_REQUEST',
    message: /GET requests only support query operations/,
    document: true,
  },
  { name: 'malformed JSON', send: (url, headers) => postJson(url, '{"query": "{ practitioners { id } }"', headers), status: 400, code: 'BAD_USER_INPUT', message: /not valid JSON/ },
  {
    name: 'an unknown operation name',
    send: operation('query A { practitioners { id } } query B { locations { id } }', undefined, 'C'),
    status: 400,
    code: 'BAD_USER_INPUT',
    message: /names no operation of the document/,
    document: true,
  },
  { name: 'a cross-site form POST', send: postAs('application/x-www-form-urlencoded'), status: 400, code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ },
  { name: 'a cross-site text/plain POST', send: postAs('text/plain'), status: 400, code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ },
  { name: 'a cross-site GET without a preflight header', send: getWith('{ practitioners { id } }'), status: 400, code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ },
];
