import type { BoundExpr } from '../bind/bound-query';
import { TranslateContext, condition } from './filter-to-sql';

/**
 * The caller's read scope is a WHERE condition like any other, and PostgreSQL may evaluate the
 * caller's own conditions on a row before it finds the row out of scope. A condition that can
 * raise an error for some row values (arithmetic overflow, an invalid regular expression from a
 * column) would then tell the caller something about a row it may not read, by failing or not.
 * Such conditions are guarded: `CASE WHEN <scope> THEN <condition> ELSE FALSE END`, whose
 * branches PostgreSQL evaluates in order. Conditions that cannot raise stay plain, so indexes
 * still serve them.
 */
export function mayRaise(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'literal':
    case 'constant':
    case 'property':
    case 'dynamic':
    case 'navigation':
    case 'element':
      return false;
    case 'computed':
      return mayRaise(e.expr);
    case 'arith':
      return true;
    case 'negate':
      return true; // -(-2147483648) overflows
    case 'compare':
    case 'logical':
      return mayRaise(e.left) || mayRaise(e.right);
    case 'not':
    case 'cast':
    case 'isNull':
      return mayRaise(e.operand);
    case 'in':
      return mayRaise(e.left) || e.list.some(mayRaise);
    case 'call':
      // A pattern from a column may be an invalid regular expression; substring's positions are
      // cast to integer and may overflow.
      if (e.name === 'matchespattern' && e.args[1]?.kind !== 'literal') return true;
      if (e.name === 'substring' && e.args.slice(1).some((a) => a.kind !== 'literal')) return true;
      return e.args.some(mayRaise);
    case 'any':
    case 'all':
      return e.predicate ? mayRaise(e.predicate) : false;
    case 'count':
      return e.filter ? mayRaise(e.filter) : false;
  }
}

/** `a and b and c` -> [a, b, c] */
function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'logical' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/**
 * A filter as WHERE conditions, one per conjunct; those that may raise are evaluated only on rows
 * in `scope` (a function, so that each use binds its own parameters).
 */
export function guardedConditions(
  filter: BoundExpr,
  ctx: TranslateContext,
  scope?: () => string | undefined,
): string[] {
  return conjuncts(filter).map((c) => {
    const sql = condition(c, ctx);
    const s = mayRaise(c) ? scope?.() : undefined;
    return s ? `(CASE WHEN ${s} THEN ${sql} ELSE FALSE END)` : sql;
  });
}

/** A value (an $orderby key) that may raise, computed only for rows in scope. */
export function guardedValue(e: BoundExpr, sql: string, scope?: () => string | undefined): string {
  const s = mayRaise(e) ? scope?.() : undefined;
  return s ? `(CASE WHEN ${s} THEN ${sql} END)` : sql;
}
