import type { ParsedRequest } from '../uri/parse-request';
import type { WorkLane } from './admission';
import { parsePrefer } from './negotiation';
import type { Target } from './resolve-target';

/** A page of more rows than this is long work: it holds its connection while it streams. */
export const LONG_READ_ROWS = 100;

/**
 * The admission lane of a request, decided from its URL and headers before anything runs:
 *
 *   POST /$batch                                  -> long (any number of requests, one slot)
 *   GET  Task                                     -> long (a page of up to ODATA_MAX_PAGE_SIZE rows)
 *   GET  Task?$apply=groupby((ProjectId))         -> long (no $top: a full page of groups)
 *   GET  Task?$filter=...&$top=50                 -> short (at most 50 rows)
 *   GET  Task  with Prefer: odata.maxpagesize=100 -> short
 *   GET  Task(<key>), Task/$count, Task(<key>)/Name, writes, operations -> short
 *
 * i.e. a GET of a collection is long when its page may hold more than LONG_READ_ROWS rows:
 * min(ODATA_MAX_PAGE_SIZE, odata.maxpagesize, $top) > LONG_READ_ROWS. A request that does not
 * parse is short: it will fail fast with a 4xx.
 */
export function workLaneOf(
  req: { method: string; headers: Record<string, string | string[] | undefined> },
  // Parsed once for admission and handler alike; this runs before authentication, within the limits.
  parsed: ParsedRequest,
  maxPageSize: number,
  /** The request's target (resolved once per request: the handler keeps it for the read). */
  targetOf: (parsed: ParsedRequest) => Target,
): WorkLane {
  const path = parsed.path;
  if (path === '/$batch') return 'long';
  const method = req.method.toUpperCase();
  if ((method !== 'GET' && method !== 'HEAD') || path === '' || path === '/$metadata') return 'short';
  try {
    const target = targetOf(parsed);
    if (target.kind !== 'collection') return 'short';
    const top = Number(parsed.options().system.get('top'));
    const prefer = req.headers.prefer;
    const asked = Number(
      parsePrefer(Array.isArray(prefer) ? prefer.join(',') : prefer).get('odata.maxpagesize'),
    );
    let rows = maxPageSize;
    if (Number.isInteger(top) && top >= 0) rows = Math.min(rows, top);
    if (Number.isInteger(asked) && asked > 0) rows = Math.min(rows, asked);
    return rows > LONG_READ_ROWS ? 'long' : 'short';
  } catch {
    return 'short';
  }
}
