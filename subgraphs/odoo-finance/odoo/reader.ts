import DataLoader from 'dataloader';
import { missingRecords } from './errors.ts';
import type { OdooRecord } from './types.ts';

/**
 * Coalesces the `load(id)` calls made in one tick into a single `read` of all their ids; an id
 * Odoo does not return gets Odoo's MissingError. Caches per instance: make one per request.
 */
export function createReader(
  model: string,
  read: (ids: number[]) => Promise<OdooRecord[]>,
): DataLoader<number, OdooRecord> {
  return new DataLoader<number, OdooRecord>(async (ids) => {
    const byId = new Map((await read([...ids])).map((record) => [record.id, record]));
    return ids.map((id) => byId.get(id) ?? missingRecords(model, [id]));
  });
}
