import type { ODataRequest } from './odata-request';

/**
 * The URL of the next page: the request's own, its $skip and $skiptoken replaced by the new token.
 *   /Task?$filter=IsDone eq false&$skiptoken=abc  ->  /Task?$filter=IsDone eq false&$skiptoken=<next>
 */
export function nextLink(req: ODataRequest, skiptoken: string): string {
  const kept = req.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p && !/^\$?(skip|skiptoken)=/i.test(p));
  kept.push(`$skiptoken=${skiptoken}`);
  return `${req.serviceRoot}${req.path}?${kept.join('&')}`;
}

/** The page size of a request: the server's, or a smaller one the client prefers (Preference-Applied). */
export function pageSizeOf(
  prefer: Map<string, string>,
  maxPageSize: number,
): { size: number; applied?: string } {
  const asked = Number(prefer.get('odata.maxpagesize'));
  if (Number.isInteger(asked) && asked > 0 && asked < maxPageSize) {
    return { size: asked, applied: `odata.maxpagesize=${asked}` };
  }
  return { size: maxPageSize };
}
