import type { ValueType } from '../bind/bound-query';

export interface Typed {
  sql: string;
  type: ValueType;
}

type Template = (args: Typed[]) => string;

/** extract() of a part, as the integer OData promises. */
const part =
  (name: string): Template =>
  ([a]) =>
    `CAST(EXTRACT(${name} FROM ${a.sql}) AS integer)`;

const FLOATING = new Set<ValueType>(['Edm.Double', 'Edm.Single']);

/**
 * OData canonical functions -> PostgreSQL, one line each. Signatures (arity, argument and result
 * types) are bind/functions.ts's; a call reaches here already checked. contains/startswith/
 * endswith are translated in filter-to-sql.ts instead when their pattern is a literal, so that
 * the LIKE pattern is escaped and index-backed (trigram).
 */
export const CANONICAL_FUNCTIONS: Record<string, Template> = {
  contains: ([a, b]) => `(strpos(${a.sql}, ${b.sql}) > 0)`,
  startswith: ([a, b]) => `starts_with(${a.sql}, ${b.sql})`,
  endswith: ([a, b]) => `(right(${a.sql}, char_length(${b.sql})) = ${b.sql})`,
  length: ([a]) => `char_length(${a.sql})`,
  indexof: ([a, b]) => `(strpos(${a.sql}, ${b.sql}) - 1)`,
  substring: ([s, i, n]) => {
    const from = `GREATEST(CAST(${i.sql} AS integer), 0) + 1`;
    return n
      ? `substr(${s.sql}, ${from}, GREATEST(CAST(${n.sql} AS integer), 0))`
      : `substr(${s.sql}, ${from})`;
  },
  tolower: ([a]) => `lower(${a.sql})`,
  toupper: ([a]) => `upper(${a.sql})`,
  trim: ([a]) => `btrim(${a.sql})`,
  concat: ([a, b]) => `(CAST(${a.sql} AS text) || CAST(${b.sql} AS text))`,
  matchespattern: ([a, b]) => `(${a.sql} ~ ${b.sql})`,
  year: part('YEAR'),
  month: part('MONTH'),
  day: part('DAY'),
  hour: part('HOUR'),
  minute: part('MINUTE'),
  second: part('SECOND'),
  fractionalseconds: ([a]) => `(CAST(EXTRACT(MICROSECONDS FROM ${a.sql}) AS numeric) % 1000000 / 1000000)`,
  totalseconds: ([a]) => `CAST(EXTRACT(EPOCH FROM ${a.sql}) AS numeric)`,
  date: ([a]) => `CAST(${a.sql} AS date)`,
  time: ([a]) => `CAST(${a.sql} AS time)`,
  // Values are stored and returned in UTC, so the offset is always 0.
  totaloffsetminutes: ([a]) => `(CASE WHEN ${a.sql} IS NULL THEN NULL ELSE 0 END)`,
  now: () => 'now()',
  maxdatetime: () => `CAST('9999-12-31T23:59:59.999999Z' AS timestamptz)`,
  mindatetime: () => `CAST('0001-01-01T00:00:00Z' AS timestamptz)`,
  // OData: "the mid-point between two integers is rounded away from zero" (0.5 -> 1, -0.5 -> -1).
  // PostgreSQL's round(numeric) does that; round(double precision) rounds half to even.
  round: ([a]) =>
    FLOATING.has(a.type)
      ? `CAST(round(CAST(${a.sql} AS numeric)) AS ${a.type === 'Edm.Single' ? 'real' : 'double precision'})`
      : `round(${a.sql})`,
  floor: ([a]) => `floor(${a.sql})`,
  ceiling: ([a]) => `ceil(${a.sql})`,
};

export function canonicalFunction(name: string, args: Typed[]): string {
  return CANONICAL_FUNCTIONS[name](args);
}
