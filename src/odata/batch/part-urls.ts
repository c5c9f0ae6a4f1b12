import { ErrorCode, ODataError } from '../errors/odata-error';
import type { ODataRequest } from '../http/odata-request';

/** Part URLs: relative to the root, absolute-path, or absolute on the same host; `$1/Notes` for references. */
export function resolveUrl(outer: ODataRequest, url: string, created: Map<string, string>): string {
  const ref = url.match(/^\$([A-Za-z0-9_.-]+)(.*)$/);
  if (ref) {
    const target = created.get(ref[1]);
    if (!target)
      throw ODataError.badRequest(
        `$${ref[1]} does not refer to an entity created earlier in this $batch`,
        url,
        ErrorCode.BadRequest,
      );
    return target + ref[2];
  }
  const root = new URL(outer.serviceRoot);
  if (/^[a-z]+:\/\//i.test(url)) {
    const u = new URL(url);
    if (u.host !== root.host || !u.pathname.startsWith(root.pathname)) {
      throw ODataError.badRequest(
        `$batch requests must stay under ${outer.serviceRoot}`,
        url,
        ErrorCode.BadRequest,
      );
    }
    return u.pathname.slice(root.pathname.length) + u.search;
  }
  if (url.startsWith('/')) {
    if (!url.startsWith(root.pathname + '/') && url !== root.pathname)
      throw ODataError.badRequest(
        `$batch requests must stay under ${root.pathname}`,
        url,
        ErrorCode.BadRequest,
      );
    return url.slice(root.pathname.length);
  }
  if (url.includes('..'))
    throw ODataError.badRequest('$batch request URLs may not contain ..', url, ErrorCode.BadRequest);
  return `/${url}`;
}

/** "$1" as a whole string value (e.g. in Task@odata.bind) becomes the created entity's URL. */
export function resolveBodyReferences(
  outer: ODataRequest,
  body: string,
  created: Map<string, string>,
): string {
  return body.replace(/"\$([A-Za-z0-9_.-]+)"/g, (whole, id) => {
    const target = created.get(id);
    return target ? JSON.stringify(outer.serviceRoot + target) : whole;
  });
}
