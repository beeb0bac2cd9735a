/** Settings come from the environment; every one has an embedded default so `npm start` needs none. */
export function setting(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function intSetting(name: string, fallback: number): number {
  const raw = setting(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`Setting ${name} must be an integer, got "${raw}"`);
  return value;
}

export function boolSetting(name: string, fallback: boolean): boolean {
  const raw = setting(name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`Setting ${name} must be a boolean, got "${raw}"`);
}

/** Where embedded mode keeps generated keys and (optionally) PGlite files. */
export const dataDirectory = () => setting('DATA_DIR') ?? '.data';
