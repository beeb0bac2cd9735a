export type { Caller } from '../platform/caller.ts';
