/**
 * OData's null semantics, written down once (OData 4.01 URL Conventions §5.1.1.1, §5.1.1.4):
 *
 *   eq, ne        null is a value: `null eq null` is true, `null eq 5` is false, `null ne 5` true
 *   lt le gt ge   a comparison involving null is false (never null)
 *   in            true when an eq with a member is true: never null either
 *   and, or, not  Kleene logic: null is unknown; `false and null` is false, `true or null` is
 *                 true, `not null` is null, other combinations with null are null
 *   functions     a null argument gives null (`contains(null,'a')` is null)
 *   arithmetic    a null operand gives null
 *
 * So `not (CustomColor gt 5)` is true when CustomColor is null (the comparison is false), while
 * `not contains(Name,'a')` is null, hence not true, when Name is null. A boolean expression is
 * itself a value, so `contains(Name,'a') eq true` and `(IsDone eq false) eq true` are comparisons
 * of two booleans under the rules above.
 *
 * bind/ records the result in each bound expression's `nullable`; sql/ must make an expression
 * whose `nullable` is false come out as TRUE or FALSE wherever the difference shows (under `not`,
 * as a value), since SQL's comparisons give NULL for a null operand.
 */
import type { BoundExpr } from './bound-query';

/** Comparisons and `in` are two-valued, whatever their operands. */
export const COMPARISON_NULLABLE = false;

/** and/or/not/functions/arithmetic: null when an operand may be null. */
export function propagatesNull(...operands: BoundExpr[]): boolean {
  return operands.some((o) => o.nullable);
}

/**
 * True when a three-valued (SQL) evaluation of this two-valued comparison can be unknown where
 * OData says false: an operand may be null.
 */
export function unknownWhereFalse(e: BoundExpr): boolean {
  if (e.kind === 'compare') return e.left.nullable || e.right.nullable;
  if (e.kind === 'in') return e.left.nullable || e.list.some((i) => i.nullable);
  return false;
}
