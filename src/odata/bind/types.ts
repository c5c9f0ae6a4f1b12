import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmPrimitive } from '../model/edm-model';
import type { LiteralType } from '../query/odata-query';
import type { ValueType } from './bound-query';

/** Edm type rules: which types compare, how numbers widen, what a literal's type is. */
export const NUMERIC_TYPES = new Set<string>([
  'Edm.Byte',
  'Edm.SByte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Double',
  'Edm.Single',
  'Edm.Decimal',
]);

export const LITERAL_EDM: Record<Exclude<LiteralType, 'null'>, EdmPrimitive> = {
  boolean: 'Edm.Boolean',
  string: 'Edm.String',
  guid: 'Edm.Guid',
  int: 'Edm.Int64',
  decimal: 'Edm.Decimal',
  double: 'Edm.Double',
  datetimeoffset: 'Edm.DateTimeOffset',
  date: 'Edm.Date',
  timeofday: 'Edm.TimeOfDay',
  duration: 'Edm.Duration',
};

const DATES = new Set(['Edm.DateTimeOffset', 'Edm.Date']);

export function checkComparable(a: ValueType, b: ValueType, target: string): void {
  if (a === b || a === 'null' || b === 'null') return;
  if (NUMERIC_TYPES.has(a) && NUMERIC_TYPES.has(b)) return;
  if (DATES.has(a) && DATES.has(b)) return;
  throw ODataError.badRequest(`Cannot compare ${a} with ${b}`, target, ErrorCode.BadType);
}

const WIDENING: EdmPrimitive[] = [
  'Edm.Byte',
  'Edm.SByte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Decimal',
  'Edm.Single',
  'Edm.Double',
];

export function widen(a: ValueType, b: ValueType): EdmPrimitive {
  const ia = WIDENING.indexOf(a as EdmPrimitive);
  const ib = WIDENING.indexOf(b as EdmPrimitive);
  return WIDENING[Math.max(ia, ib, 0)];
}

export const isDateLike = (t: ValueType) =>
  t === 'Edm.DateTimeOffset' || t === 'Edm.Date' || t === 'Edm.Duration';

/** The type of `a add b` / `a sub b` with a date or duration operand, or undefined when invalid. */
export function temporalArithmetic(op: string, a: ValueType, b: ValueType): EdmPrimitive | undefined {
  const D = 'Edm.Duration';
  if ((op !== 'add' && op !== 'sub') || (a !== D && b !== D && op !== 'sub')) return undefined;
  if (a === D && b === D) return D;
  if (op === 'sub' && isDateLike(a) && a === b) return D;
  const t = a === D ? b : a;
  return t === 'null' ? D : t;
}
