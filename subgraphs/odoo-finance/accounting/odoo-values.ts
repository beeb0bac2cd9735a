/** Odoo keeps amounts as floats in the company currency (rounded to 0.01); the graph counts integer cents. */
export const centsOf = (amount: unknown) => Math.round(Number(amount ?? 0) * 100);

export const amountOf = (cents: number) => cents / 100;

/** A GraphQL Money. */
export const money = (cents: number, currency: string) => ({ value: amountOf(cents), currency });

/** `read` answers a many2one as `[id, display_name]`, or `false` when empty. */
export const many2oneId = (value: unknown) => (Array.isArray(value) ? Number(value[0]) : null);

export const many2oneName = (value: unknown) => (Array.isArray(value) ? String(value[1]) : null);

/** Odoo reads an empty char or date as `false`. */
export const textOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export const idsOf = (value: unknown) => (Array.isArray(value) ? value.map(Number) : []);
