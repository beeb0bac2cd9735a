import { defineConfig } from 'vitest/config';
import base, { slowSuites } from './vitest.config.ts';

// `npm run test:slow`: the whole-system suites that take a minute or more each (see slowSuites), a step of their own in
// `.ci/run` so `npm test` stays under 10 minutes. The base settings, with these files only.
export default defineConfig({ ...base, test: { ...base.test, include: slowSuites, exclude: ['**/node_modules/**'] } });
