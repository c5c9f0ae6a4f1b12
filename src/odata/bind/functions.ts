import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmPrimitive } from '../model/edm-model';
import type { BoundExpr, ValueType } from './bound-query';
import { NUMERIC_TYPES } from './types';

/**
 * Signatures of OData's canonical functions: arity, the kind of each argument, the result type.
 * sql/canonical-functions.ts maps the same names to PostgreSQL, one line each.
 */
type ArgKind = 'string' | 'temporal' | 'number' | 'any';
const KINDS: Record<ArgKind, (t: string) => boolean> = {
  string: (t) => t === 'Edm.String',
  temporal: (t) => ['Edm.DateTimeOffset', 'Edm.Date', 'Edm.TimeOfDay', 'Edm.Duration'].includes(t),
  number: (t) => NUMERIC_TYPES.has(t),
  any: () => true,
};

/** [min, max] arity, argument kinds (the last repeats), result type ('arg' = the first argument's). */
type Signature = [number, number, ArgKind[], EdmPrimitive | 'arg'];
const S = 'string' as const;
const T = 'temporal' as const;
const N = 'number' as const;
export const SIGNATURES: Record<string, Signature> = {
  contains: [2, 2, [S], 'Edm.Boolean'],
  startswith: [2, 2, [S], 'Edm.Boolean'],
  endswith: [2, 2, [S], 'Edm.Boolean'],
  matchespattern: [2, 2, [S], 'Edm.Boolean'],
  length: [1, 1, [S], 'Edm.Int32'],
  indexof: [2, 2, [S], 'Edm.Int32'],
  substring: [2, 3, [S, N], 'Edm.String'],
  tolower: [1, 1, [S], 'Edm.String'],
  toupper: [1, 1, [S], 'Edm.String'],
  trim: [1, 1, [S], 'Edm.String'],
  concat: [2, 2, ['any'], 'Edm.String'],
  year: [1, 1, [T], 'Edm.Int32'],
  month: [1, 1, [T], 'Edm.Int32'],
  day: [1, 1, [T], 'Edm.Int32'],
  hour: [1, 1, [T], 'Edm.Int32'],
  minute: [1, 1, [T], 'Edm.Int32'],
  second: [1, 1, [T], 'Edm.Int32'],
  fractionalseconds: [1, 1, [T], 'Edm.Decimal'],
  totalseconds: [1, 1, [T], 'Edm.Decimal'],
  date: [1, 1, [T], 'Edm.Date'],
  time: [1, 1, [T], 'Edm.TimeOfDay'],
  totaloffsetminutes: [1, 1, [T], 'Edm.Int32'],
  now: [0, 0, [], 'Edm.DateTimeOffset'],
  maxdatetime: [0, 0, [], 'Edm.DateTimeOffset'],
  mindatetime: [0, 0, [], 'Edm.DateTimeOffset'],
  round: [1, 1, [N], 'arg'],
  floor: [1, 1, [N], 'arg'],
  ceiling: [1, 1, [N], 'arg'],
};

/** The argument types a function's literals are typed as (`contains(Name,'x')`: Edm.String). */
export function expectedArgType(name: string, index: number): EdmPrimitive | undefined {
  const sig = SIGNATURES[name];
  if (!sig) return undefined;
  const kind = sig[2][Math.min(index, sig[2].length - 1)];
  return kind === 'string' || name === 'concat' ? 'Edm.String' : undefined;
}

/** Checks a call's arguments against its signature; returns its type and nullability. */
export function callType(name: string, args: BoundExpr[]): { type: ValueType; nullable: boolean } {
  const sig = SIGNATURES[name];
  if (!sig) {
    if (['geo.distance', 'geo.length', 'geo.intersects', 'substringof'].includes(name)) {
      throw ODataError.notImplemented(`Function ${name} is not supported`);
    }
    throw ODataError.badRequest(`Unknown function '${name}'`, name, ErrorCode.BadQueryOption);
  }
  const [min, max, kinds, result] = sig;
  if (args.length < min || args.length > max) {
    throw ODataError.badRequest(
      `${name} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`,
      name,
      ErrorCode.BadQueryOption,
    );
  }
  args.forEach((a, i) => {
    const kind = kinds[Math.min(i, kinds.length - 1)];
    if (a.type !== 'null' && !KINDS[kind](a.type)) {
      throw ODataError.badRequest(
        `Argument ${i + 1} of ${name} must be a ${kind} value, but is ${a.type}`,
        name,
        ErrorCode.BadType,
      );
    }
  });
  // A null argument gives null (null-semantics.ts).
  const nullable = args.some((a) => a.nullable);
  return { type: result === 'arg' ? args[0].type : result, nullable };
}
