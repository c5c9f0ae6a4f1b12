import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmPrimitive } from '../model/edm-model';

export interface Typed {
  sql: string;
  type: EdmPrimitive | 'null';
}

type Template = (args: Typed[]) => Typed;

const str = (sql: string): Typed => ({ sql, type: 'Edm.String' });
const int = (sql: string): Typed => ({ sql, type: 'Edm.Int32' });
const bool = (sql: string): Typed => ({ sql, type: 'Edm.Boolean' });
const dto = (sql: string): Typed => ({ sql, type: 'Edm.DateTimeOffset' });
/** extract() of a part, as the integer OData promises. */
const part =
  (name: string): Template =>
  ([a]) =>
    int(`CAST(EXTRACT(${name} FROM ${a.sql}) AS integer)`);

/**
 * OData canonical functions -> PostgreSQL, one line each. contains/startswith/endswith are
 * translated in filter-to-sql.ts instead when their pattern is a literal, so that the LIKE
 * pattern is escaped and index-backed (trigram).
 */
type ArgKind = 'string' | 'temporal' | 'number' | 'any';
const KINDS: Record<ArgKind, (t: string) => boolean> = {
  string: (t) => t === 'Edm.String',
  temporal: (t) => ['Edm.DateTimeOffset', 'Edm.Date', 'Edm.TimeOfDay', 'Edm.Duration'].includes(t),
  number: (t) =>
    [
      'Edm.Byte',
      'Edm.SByte',
      'Edm.Int16',
      'Edm.Int32',
      'Edm.Int64',
      'Edm.Double',
      'Edm.Single',
      'Edm.Decimal',
    ].includes(t),
  any: () => true,
};
const STRING_FNS = new Set([
  'contains',
  'startswith',
  'endswith',
  'length',
  'indexof',
  'tolower',
  'toupper',
  'trim',
  'matchespattern',
]);
const TEMPORAL_FNS = new Set([
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'fractionalseconds',
  'totalseconds',
  'date',
  'time',
  'totaloffsetminutes',
]);
const NUMBER_FNS = new Set(['round', 'floor', 'ceiling']);

/** The kind each argument of a function must have (null literals pass). */
function argKind(name: string, index: number): ArgKind {
  if (STRING_FNS.has(name)) return 'string';
  if (name === 'substring') return index === 0 ? 'string' : 'number';
  if (TEMPORAL_FNS.has(name)) return 'temporal';
  if (NUMBER_FNS.has(name)) return 'number';
  return 'any';
}

export const CANONICAL_FUNCTIONS: Record<string, { arity: [number, number]; sql: Template }> = {
  contains: { arity: [2, 2], sql: ([a, b]) => bool(`(strpos(${a.sql}, ${b.sql}) > 0)`) },
  startswith: { arity: [2, 2], sql: ([a, b]) => bool(`starts_with(${a.sql}, ${b.sql})`) },
  endswith: { arity: [2, 2], sql: ([a, b]) => bool(`(right(${a.sql}, char_length(${b.sql})) = ${b.sql})`) },
  length: { arity: [1, 1], sql: ([a]) => int(`char_length(${a.sql})`) },
  indexof: { arity: [2, 2], sql: ([a, b]) => int(`(strpos(${a.sql}, ${b.sql}) - 1)`) },
  substring: {
    arity: [2, 3],
    sql: ([s, i, n]) => {
      const from = `GREATEST(CAST(${i.sql} AS integer), 0) + 1`;
      return str(
        n ? `substr(${s.sql}, ${from}, GREATEST(CAST(${n.sql} AS integer), 0))` : `substr(${s.sql}, ${from})`,
      );
    },
  },
  tolower: { arity: [1, 1], sql: ([a]) => str(`lower(${a.sql})`) },
  toupper: { arity: [1, 1], sql: ([a]) => str(`upper(${a.sql})`) },
  trim: { arity: [1, 1], sql: ([a]) => str(`btrim(${a.sql})`) },
  concat: { arity: [2, 2], sql: ([a, b]) => str(`(CAST(${a.sql} AS text) || CAST(${b.sql} AS text))`) },
  matchespattern: { arity: [2, 2], sql: ([a, b]) => bool(`(${a.sql} ~ ${b.sql})`) },
  year: { arity: [1, 1], sql: part('YEAR') },
  month: { arity: [1, 1], sql: part('MONTH') },
  day: { arity: [1, 1], sql: part('DAY') },
  hour: { arity: [1, 1], sql: part('HOUR') },
  minute: { arity: [1, 1], sql: part('MINUTE') },
  second: { arity: [1, 1], sql: part('SECOND') },
  fractionalseconds: {
    arity: [1, 1],
    sql: ([a]) => ({
      sql: `(CAST(EXTRACT(MICROSECONDS FROM ${a.sql}) AS numeric) % 1000000 / 1000000)`,
      type: 'Edm.Decimal',
    }),
  },
  totalseconds: {
    arity: [1, 1],
    sql: ([a]) => ({ sql: `CAST(EXTRACT(EPOCH FROM ${a.sql}) AS numeric)`, type: 'Edm.Decimal' }),
  },
  date: { arity: [1, 1], sql: ([a]) => ({ sql: `CAST(${a.sql} AS date)`, type: 'Edm.Date' }) },
  time: { arity: [1, 1], sql: ([a]) => ({ sql: `CAST(${a.sql} AS time)`, type: 'Edm.TimeOfDay' }) },
  // Values are stored and returned in UTC, so the offset is always 0.
  totaloffsetminutes: {
    arity: [1, 1],
    sql: ([a]) => int(`(CASE WHEN ${a.sql} IS NULL THEN NULL ELSE 0 END)`),
  },
  now: { arity: [0, 0], sql: () => dto('now()') },
  maxdatetime: { arity: [0, 0], sql: () => dto(`CAST('9999-12-31T23:59:59.999999Z' AS timestamptz)`) },
  mindatetime: { arity: [0, 0], sql: () => dto(`CAST('0001-01-01T00:00:00Z' AS timestamptz)`) },
  round: { arity: [1, 1], sql: ([a]) => ({ sql: `round(${a.sql})`, type: a.type }) },
  floor: { arity: [1, 1], sql: ([a]) => ({ sql: `floor(${a.sql})`, type: a.type }) },
  ceiling: { arity: [1, 1], sql: ([a]) => ({ sql: `ceil(${a.sql})`, type: a.type }) },
};

export function canonicalFunction(name: string, args: Typed[]): Typed {
  const fn = CANONICAL_FUNCTIONS[name];
  if (!fn) {
    if (['geo.distance', 'geo.length', 'geo.intersects', 'substringof'].includes(name)) {
      throw ODataError.notImplemented(`Function ${name} is not supported`);
    }
    throw ODataError.badRequest(`Unknown function '${name}'`, name, ErrorCode.BadQueryOption);
  }
  const [min, max] = fn.arity;
  if (args.length < min || args.length > max) {
    throw ODataError.badRequest(
      `${name} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`,
      name,
      ErrorCode.BadQueryOption,
    );
  }
  args.forEach((a, i) => {
    const kind = argKind(name, i);
    if (a.type !== 'null' && !KINDS[kind](a.type)) {
      throw ODataError.badRequest(
        `Argument ${i + 1} of ${name} must be a ${kind} value, but is ${a.type}`,
        name,
        ErrorCode.BadType,
      );
    }
  });
  return fn.sql(args);
}
