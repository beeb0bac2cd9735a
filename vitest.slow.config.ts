import { defineConfig } from 'vitest/config';
import base, { slowSuites, suiteSettings } from './vitest.config.ts';

// `npm run test:slow`: the whole-system suites that take a minute or more each (see slowSuites), a step of their own in
// `.ci/run` so `npm test` stays under 10 minutes. The suites' settings, with these files only, each in a process of its own.
export default defineConfig({ ...base, test: { ...suiteSettings, include: slowSuites, exclude: ['**/node_modules/**'] } });
