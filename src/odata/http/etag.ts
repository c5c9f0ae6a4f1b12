/** If-Match / If-None-Match: `*` or a list of ETags; weak comparison as the standard allows for OData. */
export function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === strip(etag));
}

/** A row version as a weak ETag: `W/"<version>"`. */
export const weakEtag = (version: string): string => `W/"${version}"`;
