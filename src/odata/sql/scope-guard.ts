import type { ComputeItem, Expr } from '../query/odata-query';
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
export function mayRaise(expr: Expr, computed: ComputeItem[] = []): boolean {
  switch (expr.kind) {
    case 'literal':
      return false;
    case 'member': {
      const alias =
        !expr.scope && expr.path.length === 1 ? computed.find((c) => c.alias === expr.path[0]) : undefined;
      return alias ? mayRaise(alias.expr, computed) : false;
    }
    case 'binary':
      if (['add', 'sub', 'mul', 'div', 'divby', 'mod'].includes(expr.op)) return true;
      return mayRaise(expr.left, computed) || mayRaise(expr.right, computed);
    case 'negate':
      return true; // -(-2147483648) overflows
    case 'not':
    case 'cast':
    case 'isof':
      return mayRaise(expr.operand, computed);
    case 'in':
      return mayRaise(expr.left, computed) || expr.list.some((e) => mayRaise(e, computed));
    case 'call':
      // A pattern from a column may be an invalid regular expression; substring's positions are
      // cast to integer and may overflow.
      if (expr.name === 'matchespattern' && expr.args[1]?.kind !== 'literal') return true;
      if (expr.name === 'substring' && expr.args.slice(1).some((a) => a.kind !== 'literal')) return true;
      return expr.args.some((a) => mayRaise(a, computed));
    case 'lambda':
      return expr.predicate ? mayRaise(expr.predicate, computed) : false;
    case 'count':
      return expr.filter ? mayRaise(expr.filter, computed) : false;
  }
}

/** `a and b and c` -> [a, b, c] */
function conjuncts(expr: Expr): Expr[] {
  return expr.kind === 'binary' && expr.op === 'and'
    ? [...conjuncts(expr.left), ...conjuncts(expr.right)]
    : [expr];
}

/**
 * A filter as WHERE conditions, one per conjunct; those that may raise are evaluated only on rows
 * in `scope` (a function, so that each use binds its own parameters).
 */
export function guardedConditions(
  filter: Expr,
  ctx: TranslateContext,
  scope?: () => string | undefined,
  computed?: ComputeItem[],
): string[] {
  return conjuncts(filter).map((c) => {
    const sql = condition(c, ctx);
    const s = mayRaise(c, computed) ? scope?.() : undefined;
    return s ? `(CASE WHEN ${s} THEN ${sql} ELSE FALSE END)` : sql;
  });
}

/** A value (an $orderby key) that may raise, computed only for rows in scope. */
export function guardedValue(
  expr: Expr,
  sql: string,
  scope?: () => string | undefined,
  computed?: ComputeItem[],
): string {
  const s = mayRaise(expr, computed) ? scope?.() : undefined;
  return s ? `(CASE WHEN ${s} THEN ${sql} END)` : sql;
}
