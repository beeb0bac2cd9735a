import { openEmbeddedIssuer } from '../../gateway/authentication/embedded-issuer.ts';
import { startGateway } from '../../gateway/server.ts';
import type { RunningSystem } from '../../launcher.ts';
import { supergraphPath } from '../../schema/catalog.ts';
import { readFileSync } from 'node:fs';
import { classify } from './classify.ts';
import { MATRIX_QUERY, matrixCallers, type MatrixRecords } from './subjects.ts';

type GraphQLResult = { data?: Record<string, Record<string, unknown> | null> | null; errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }> };

async function post(url: string, token: string, query: string, variables: object): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult;
}

const ENTITIES = { patient: 'Patient', appointment: 'Appointment', claim: 'Claim', invoice: 'Invoice' } as const;

/** A demo patient the matrix can use: covered by a payer that has a claim for them, with an invoice and an appointment. */
async function findRecords(url: string, token: string): Promise<MatrixRecords> {
  for (let n = 1; n <= 300; n++) {
    const id = `pat-${String(n).padStart(4, '0')}`;
    const { data } = await post(url, token, 'query($id: ID!) { patient(id: $id) { coverages { payer { id } } claims { id payer { id } } invoices { id } appointments { id } } }', { id });
    const patient = data?.patient as { coverages: Array<{ payer: { id: string } }>; claims: Array<{ id: string; payer: { id: string } }>; invoices: Array<{ id: string }>; appointments: Array<{ id: string }> } | null;
    const payer = patient?.coverages[0]?.payer.id;
    const claim = patient?.claims.find((candidate) => candidate.payer.id === payer);
    if (patient && payer && claim && patient.invoices[0] && patient.appointments[0]) {
      return { patient: id, payer, claim: claim.id, invoice: patient.invoices[0].id, appointment: patient.appointments[0].id };
    }
  }
  throw new Error('No demo patient has coverage, a claim with that payer, an invoice and an appointment');
}

/**
 * What each role gets of every field of Patient, Appointment, Claim and Invoice through the
 * governed gateway, against the records as stored (read through a second gateway without the
 * policy pipeline, as an admin acting for treatment). Rows are `Type.field`, columns roles.
 */
export async function accessMatrix(system: RunningSystem): Promise<{ roles: string[]; rows: Array<[string, string[]]> }> {
  const issuer = await openEmbeddedIssuer();
  const admin = await issuer.issueToken({ role: 'admin', purpose: 'TREAT' });
  const ungoverned = await startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    port: 0,
    subgraphUrls: Object.fromEntries(Object.values(system.subgraphs).map((subgraph) => [subgraph.name, subgraph.url])),
    authenticate: system.environment.authenticate,
    signInternalToken: system.environment.signInternalToken,
    governance: { enabled: false, authorizationMode: 'filter', bucket: system.environment.bucket, introspectionForEveryone: false, audit: system.environment.audit },
  });
  try {
    const records = await findRecords(ungoverned.url, admin);
    const truth = (await post(ungoverned.url, admin, MATRIX_QUERY, records)).data!;
    const callers = matrixCallers(records);
    const results = await Promise.all(callers.map(async ([, request]) => post(system.gateway.url, await issuer.issueToken(request), MATRIX_QUERY, records)));
    const rows: Array<[string, string[]]> = [];
    for (const [key, typeName] of Object.entries(ENTITIES)) {
      for (const field of Object.keys(truth[key] ?? {})) {
        rows.push([
          `${typeName}.${field}`,
          results.map(({ data, errors }) => {
            const denied = (path: unknown[]) =>
              (errors ?? []).some((error) => error.extensions?.code === 'FORBIDDEN' && JSON.stringify(error.path) === JSON.stringify(path));
            if (denied([key])) return '✗';
            // The whole record absent without an error: a row this caller may not see.
            if (!data?.[key]) return '·';
            return classify(data[key][field] ?? null, truth[key]![field], denied([key, field]));
          }),
        ]);
      }
    }
    return { roles: callers.map(([role]) => role), rows };
  } finally {
    await ungoverned.close();
  }
}

export function markdownTable({ roles, rows }: { roles: string[]; rows: Array<[string, string[]]> }): string {
  return [
    `| field | ${roles.join(' | ')} |`,
    `| --- | ${roles.map(() => '---').join(' | ')} |`,
    ...rows.map(([coordinate, cells]) => `| ${coordinate} | ${cells.join(' | ')} |`),
  ].join('\n');
}
