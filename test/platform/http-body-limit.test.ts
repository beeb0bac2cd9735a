import { request } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlHandler } from '../../platform/http/graphql-handler.ts';
import { startHttpService, type HttpService } from '../../platform/http/server.ts';
import { createLogger } from '../../platform/logger.ts';

/** A POST whose body is streamed in chunks, without a content-length: the limit must hold mid-stream. */
function chunkedPost(url: string, chunks: number, chunkSize: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    for (let n = 0; n < chunks; n++) call.write('x'.repeat(chunkSize));
    call.end();
  });
}

describe('the request body limit', () => {
  let service: HttpService;
  let apollo: ApolloServer;

  beforeAll(async () => {
    apollo = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });
    await apollo.start();
    service = await startHttpService({
      name: 'test',
      port: 0,
      logger: createLogger('test'),
      checks: [],
      routes: { '/graphql': graphqlHandler(apollo, { bodyLimitBytes: 10_000, context: async () => ({}) }) },
    });
  });
  afterAll(async () => {
    await service?.close();
    await apollo?.stop();
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a chunked body over the limit, with no content-length to go by', async () => {
    const { status, body } = await chunkedPost(`${service.url}/graphql`, 200, 1_000);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('still serves a body within the limit', async () => {
    const response = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ ok }' }) });
    expect(await response.json()).toEqual({ data: { ok: true } });
  });
});
