/**
 * `1D`, `2.5M`, `3F`, `4L`: number literals with an OData 2.0 type suffix. The SAP Cloud SDK
 * (odata-v4) writes every Edm.Double as `1D`, and ASP.NET Core OData reads the suffixes for
 * compatibility; the 4.0 grammar has none, so they are dropped before parsing. String literals
 * are skipped, and so are digits inside names, GUIDs and dates (a word character or `-`/`.` before
 * or after them: a GUID may begin `13e4928d-`, which reads as the double 13e4928 with a suffix).
 */
const LITERAL_OR_SUFFIXED =
  /'(?:[^']|'')*'|(?<![\w.-])(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[dDmMfFlL](?![\w.-])/g;

export function withoutNumberSuffixes(text: string): string {
  return text.replace(LITERAL_OR_SUFFIXED, (match, number?: string) => number ?? match);
}
