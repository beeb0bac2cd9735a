/**
 * Every version of every definition a running instance may still need (registry.ts). An instance is
 * recorded under its definition's versioned name and recovered by it, so it finishes on the version
 * it started with; a new version is added beside the old one, which goes once none of its instances
 * is left.
 */
export const versionedName = (definition: string, version: number) => `${definition}@v${version}`;
