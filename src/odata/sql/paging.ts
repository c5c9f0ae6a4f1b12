import { ErrorCode, ODataError } from '../errors/odata-error';

/**
 * $skiptoken: where the next page starts, as the sort values of the last row served (keyset
 * paging: page 1,000 costs what page 1 costs) and how many rows of a client's $top were served.
 */
export interface SkipToken {
  /** Text values of the sort keys (user orderby then entity keys) of the last row; null for NULL. */
  after: Array<string | null>;
  /** Rows served so far, to honour a client's $top across pages. */
  served: number;
  /** The client's $skip, for results paged by offset (grouped rows); the nextLink drops $skip. */
  skip?: number;
}

export function encodeSkipToken(token: SkipToken): string {
  const state =
    token.skip === undefined ? [token.after, token.served] : [token.after, token.served, token.skip];
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeSkipToken(text: string, expectedKeys: number): SkipToken {
  try {
    const state = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const [after, served, skip] = Array.isArray(state) ? state : [];
    if (
      Array.isArray(after) &&
      after.length === expectedKeys &&
      after.every((v) => v === null || typeof v === 'string') &&
      Number.isSafeInteger(served) &&
      served >= 0 &&
      state.length <= 3 &&
      (skip === undefined || (Number.isSafeInteger(skip) && skip >= 0))
    ) {
      return skip === undefined ? { after, served } : { after, served, skip };
    }
  } catch {
    /* fall through */
  }
  throw ODataError.badRequest(
    '$skiptoken is not valid for this request',
    '$skiptoken',
    ErrorCode.BadQueryOption,
  );
}

export interface SortKey {
  sql: string;
  pgType: string;
  desc: boolean;
  nullable: boolean;
}

/**
 * Adds a sort key unless the same value is already sorted on: a second sort on it cannot reorder
 * anything (`$orderby=Name desc,Name` is `Name desc`), and a query builder keeps only one
 * direction per expression, so the duplicate would silently flip the first one.
 */
export function addSortKey(keys: SortKey[], key: SortKey): void {
  if (!keys.some((k) => k.sql === key.sql)) keys.push(key);
}

/**
 * One page of a result paged by offset: grouped rows have no key to seek from. Their order is
 * made total by sorting on every output column (the rows are distinct), and the skiptoken
 * carries the client's $skip and the rows of its $top already served, as the nextLink drops $skip.
 */
export interface OffsetPage {
  /** The client's $skip (from the query on page 1, from the token after). */
  skip: number;
  /** Rows served before this page. */
  served: number;
  /** Rows of this page at most. */
  limit: number;
  /** Rows of the client's $top not yet served, if it sent one. */
  remaining?: number;
}

export function offsetPage(
  query: { skip?: number; top?: number; skiptoken?: string },
  pageSize: number,
): OffsetPage {
  const token = query.skiptoken ? decodeSkipToken(query.skiptoken, 0) : undefined;
  const skip = token ? (token.skip ?? 0) : (query.skip ?? 0);
  const served = token?.served ?? 0;
  const remaining = query.top !== undefined ? Math.max(query.top - served, 0) : undefined;
  return { skip, served, remaining, limit: Math.min(pageSize, remaining ?? Infinity) };
}

/** The next page's skiptoken, given the rows read (limit + 1 asked); undefined on the last page. */
export function nextOffsetToken(page: OffsetPage, rowsRead: number): string | undefined {
  const moreWanted = page.remaining === undefined || page.remaining > page.limit;
  if (rowsRead <= page.limit || !moreWanted) return undefined;
  return encodeSkipToken({ after: [], served: page.served + page.limit, skip: page.skip });
}

/**
 * The condition "row comes after `after` in this order", expanded so that it is right for
 * mixed directions and nulls:  (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...
 * For a single non-null key this is `k > v`, which an index range scan serves directly.
 */
export function keysetCondition(
  keys: SortKey[],
  after: Array<string | null>,
  param: (value: unknown, pgType: string, index: number) => string,
): string {
  const ors: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: string[] = [];
    for (let j = 0; j < i; j++) ands.push(equalTo(keys[j], after[j], (v, t) => param(v, t, j)));
    const next = greaterThan(keys[i], after[i], (v, t) => param(v, t, i));
    if (next === 'FALSE') continue;
    ands.push(next);
    ors.push(ands.length === 1 ? ands[0] : `(${ands.join(' AND ')})`);
  }
  return ors.length ? `(${ors.join(' OR ')})` : 'FALSE';
}

function equalTo(k: SortKey, v: string | null, param: (value: unknown, pgType: string) => string): string {
  return v === null ? `${k.sql} IS NULL` : `${k.sql} = ${param(v, k.pgType)}`;
}

function greaterThan(
  k: SortKey,
  v: string | null,
  param: (value: unknown, pgType: string) => string,
): string {
  if (!k.desc) {
    // ascending, nulls first: after null come all non-nulls; after v come larger values
    return v === null ? `${k.sql} IS NOT NULL` : `${k.sql} > ${param(v, k.pgType)}`;
  }
  // descending, nulls last: nothing comes after null; after v come smaller values, then nulls
  if (v === null) return 'FALSE';
  return k.nullable
    ? `(${k.sql} < ${param(v, k.pgType)} OR ${k.sql} IS NULL)`
    : `${k.sql} < ${param(v, k.pgType)}`;
}
