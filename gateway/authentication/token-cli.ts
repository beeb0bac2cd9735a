/**
 * Prints a token from the embedded issuer, and only the token, so that
 * `TOKEN=$(npm run -s token -- --role clinician)` works. Errors go to stderr with exit code 2.
 */
import { parseArgs } from 'node:util';
import { openEmbeddedIssuer } from './embedded-issuer.ts';
import { embeddedIssuerOptions } from './settings.ts';

const usage = 'usage: npm run token -- --role <role> [--subject s] [--client c] [--patient id] [--organization id] [--purpose TREAT] [--scopes "a b"] [--ttl seconds] [--data-dir DATA_DIR]';

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      subject: { type: 'string' },
      client: { type: 'string' },
      patient: { type: 'string' },
      organization: { type: 'string' },
      purpose: { type: 'string' },
      scopes: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      'data-dir': { type: 'string' },
    },
  });
  if (!values.role) throw new Error('--role is required');
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('--ttl must be a positive number of seconds');
  const issuer = await openEmbeddedIssuer(embeddedIssuerOptions(values['data-dir']));
  const token = await issuer.issueToken({
    role: values.role,
    subject: values.subject,
    client: values.client,
    patient: values.patient,
    organization: values.organization,
    purpose: values.purpose,
    scopes: values.scopes?.split(' ').filter(Boolean),
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exitCode = 2;
}
