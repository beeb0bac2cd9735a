import { randomUUID } from 'node:crypto';

/** Ids are opaque strings with a prefix naming what they identify (pat-…, apt-…, inv-…). */
export const newId = (prefix: string) => `${prefix}-${randomUUID()}`;
