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
}

export function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify([token.after, token.served])).toString('base64url');
}

export function decodeSkipToken(text: string, expectedKeys: number): SkipToken {
  try {
    const [after, served] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(after) &&
      after.length === expectedKeys &&
      after.every((v) => v === null || typeof v === 'string') &&
      Number.isSafeInteger(served) &&
      served >= 0
    ) {
      return { after, served };
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
 * The condition "row comes after `after` in this order", expanded so that it is right for
 * mixed directions and nulls:  (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...
 * For a single non-null key this is `k > v`, which an index range scan serves directly.
 */
export function keysetCondition(
  keys: SortKey[],
  after: Array<string | null>,
  param: (value: unknown, pgType: string) => string,
): string {
  const ors: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: string[] = [];
    for (let j = 0; j < i; j++) ands.push(equalTo(keys[j], after[j], param));
    const next = greaterThan(keys[i], after[i], param);
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
