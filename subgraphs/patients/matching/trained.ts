import { readFileSync } from 'node:fs';
import { comparators } from './comparators.ts';
import { Matcher } from './matcher.ts';
import { fieldParametersOf, type LatentClass } from './model.ts';

/** The classes `npm run mpi:train` estimated, committed with the code. */
export const trainedModelPath = new URL('./trained-model.json', import.meta.url);

let trained: Matcher | undefined;

/**
 * The matcher the registry is scored with. Its classes were estimated offline (npm run mpi:train);
 * exact agreement is not adjusted by the registry's value frequencies online.
 */
export function registryMatcher(): Matcher {
  if (!trained) {
    const { classes } = JSON.parse(readFileSync(trainedModelPath, 'utf8')) as { classes: LatentClass[] };
    const fields = comparators();
    trained = new Matcher(fields, { classes, fields: fieldParametersOf(fields, classes), iterations: 0 }, new Map());
  }
  return trained;
}
