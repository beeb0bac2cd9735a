// talisman ships CommonJS without type declarations: the functions the matcher uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}
declare module 'talisman/metrics/damerau-levenshtein.js' {
  const damerauLevenshtein: (a: string, b: string) => number;
  /** The distance, or Infinity once it exceeds `max` (stops early). */
  export const limited: (max: number, a: string, b: string) => number;
  export default damerauLevenshtein;
}
declare module 'talisman/phonetics/double-metaphone.js' {
  const doubleMetaphone: (word: string) => [string, string];
  export default doubleMetaphone;
}
