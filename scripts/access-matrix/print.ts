// `npm run docs:access-matrix`: prints the README's table of what each role sees, measured on the
// embedded system (PGlite, demo data). The test in test/governance/ fails when the README differs.
import { startSystem } from '../../launcher.ts';
import { accessMatrix, markdownTable } from './matrix.ts';

const system = await startSystem({ gatewayPort: 0, seedDemoData: true });
try {
  console.log(markdownTable(await accessMatrix(system)));
} finally {
  await system.close();
}
