// `npm run docs:access-matrix`: prints the README's table of what each role sees, measured on the
// embedded system (PGlite, demo data). The test in test/governance/ fails when the README differs.
import { startSystem } from '../../launcher.ts';
import { logToStandardError } from '../../platform/logger.ts';
import { accessMatrix, markdownTable } from './matrix.ts';

// The table is the output: the services' log lines go to standard error.
logToStandardError();
const system = await startSystem({ gatewayPort: 0, seedDemoData: true });
try {
  console.log(markdownTable(await accessMatrix(system)));
} finally {
  await system.close();
}
