import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { subgraphSdl, type SubgraphName } from '../../schema/catalog.ts';

const schemaFolder = new URL('../../schema/', import.meta.url);
const sdlOf = (file: string) => readFileSync(new URL(file, schemaFolder), 'utf8');
/** Every subgraph's SDL: the files that link Federation (the supergraph, the gateway's own extensions and the shared operations vocabulary do not). */
const subgraphSdls = readdirSync(schemaFolder).filter(
  (file) => file.endsWith('.graphql') && file !== 'supergraph.graphql' && sdlOf(file).includes('https://specs.apollo.dev/federation/'),
);

describe('the odoo-finance SDL', () => {
  it('composes with every other subgraph SDL', () => {
    expect(subgraphSdls).toContain('odoo-finance.graphql');
    const result = composeServices(
      subgraphSdls.map((file) => ({
        name: file.replace('.graphql', ''),
        url: `http://127.0.0.1/${file}`,
        typeDefs: parse(subgraphSdl(file.replace('.graphql', '') as SubgraphName)),
      })),
    );
    expect(result.errors?.map((error) => error.message) ?? []).toEqual([]);
    const supergraph = result.supergraphSdl ?? '';
    expect(supergraph).toMatch(/odooInvoice: OdooInvoice @join__field\(graph: ODOO_FINANCE\)/);
    expect(supergraph).toMatch(/financialAccount: FinancialAccount @join__field\(graph: ODOO_FINANCE\)/);
  });
});
