import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleOperations } from '../../gateway/pages/client/explorer-examples.js';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

// The explorer's tabs promise to run as written, signed in as the role each names.
describe("the explorer's example operations", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true });
  });
  afterAll(() => system?.close());

  it.each(exampleOperations(new Date()).map((example) => [/(query|mutation) (\w+)/.exec(example.query)![2], example] as const))(
    '%s runs as written, with data and no error',
    async (_name, { role, query, variables }) => {
      expect(query).toContain(`# Sign in as ${role}.`);
      const { data, errors } = await graphql(system.gateway.url, query, variables, await bearerFor({ role }));
      expect(errors).toBeUndefined();
      const [answer] = Object.values(data!);
      expect(Array.isArray(answer) ? answer.length : answer).toBeTruthy();
    },
  );
});
