import type { EdmProperty } from '../model/edm-model';
import type { BoundExpr, RangeVariable } from '../bind/bound-query';
import { unknownWhereFalse } from '../bind/null-semantics';
import { Typed, canonicalFunction } from './canonical-functions';
import { NUMERIC_TYPES, PG_TYPE, TRY_CAST_FUNCTION } from './pg-types';
import { escapeLike, ident } from './sql-params';
import { TranslateContext, collectionSource, throughJoins } from './navigation-sql';

export { AliasGenerator, navigationJoin, scopeAnd } from './navigation-sql';
export type { TranslateContext } from './navigation-sql';

const COMPARE_SQL = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
const ARITH_SQL = { add: '+', sub: '-', mul: '*', div: '/', divby: '/', mod: '%' } as const;

/**
 * Bound expression -> SQL text with bound parameters; one case per node kind. Names and types
 * were settled by bind/; this only writes SQL.
 *
 *   Name eq 'Sam'                 -> e0."Name" = CAST(:p0 AS text)
 *   Project/Name eq 'X'           -> (SELECT a1."Name" FROM "project" a1 WHERE a1."ProjectId" = e0."ProjectId") = ...
 *   Notes/any(n: n/Note eq 'a')   -> EXISTS (SELECT 1 FROM "task_item_note" l2 WHERE l2."TaskItemId" = e0."TaskItemId" AND ...)
 *   contains(Name,'50%')          -> e0."Name" LIKE :p0   (p0 = '%50\%%')
 *
 * `twoValued`: the expression's truth value is used beyond filtering rows (under `not`, as a
 * value), so a comparison bind/ typed as never null must not come out NULL (null-semantics.ts).
 */
export function translate(e: BoundExpr, ctx: TranslateContext, twoValued = false): Typed {
  switch (e.kind) {
    case 'literal':
      return e.type === 'null'
        ? { sql: 'NULL', type: 'null' }
        : { sql: ctx.params.typed(e.value, PG_TYPE[e.type], ctx.params.holes?.at(e, 'value')), type: e.type };
    case 'constant':
      return { sql: e.value ? 'TRUE' : 'FALSE', type: 'Edm.Boolean' };
    case 'property':
      return {
        sql: throughJoins(e.range, e.navs, ctx, (alias) => propertySql(e.range, e.property, alias, ctx)),
        type: e.type,
      };
    case 'dynamic':
      return {
        sql: throughJoins(
          e.range,
          e.navs,
          ctx,
          (alias, type) => `(${alias}.${ident(type.dynamicColumn!)} ->> ${ctx.params.typed(e.key, 'text')})`,
        ),
        type: e.type,
      };
    case 'navigation': {
      const key = e.step.target.keys[0];
      return {
        sql: throughJoins(e.range, [...e.navs, e.step], ctx, (alias) => `${alias}.${ident(key.column)}`),
        type: e.type,
      };
    }
    case 'computed':
      return { sql: ctx.computed?.get(e.alias) ?? translate(e.expr, ctx, true).sql, type: e.type };
    case 'element':
      return { sql: ctx.ranges.get(e.range)!, type: e.type };
    case 'not':
      return { sql: `(NOT ${translate(e.operand, ctx, true).sql})`, type: 'Edm.Boolean' };
    case 'logical':
      return {
        sql: `(${translate(e.left, ctx, twoValued).sql} ${e.op.toUpperCase()} ${translate(e.right, ctx, twoValued).sql})`,
        type: 'Edm.Boolean',
      };
    case 'isNull':
      return {
        sql: `(${translate(e.operand, ctx, true).sql} IS ${e.negated ? 'NOT ' : ''}NULL)`,
        type: 'Edm.Boolean',
      };
    case 'compare':
      return twoValuedSql(e, comparisonSql(e, ctx), twoValued);
    case 'in': {
      const left = translate(e.left, ctx, true);
      if (e.list.length === 0) return { sql: 'FALSE', type: 'Edm.Boolean' };
      const items = e.list.map((i) => translate(i, ctx, true).sql);
      return twoValuedSql(e, `(${left.sql} IN (${items.join(', ')}))`, twoValued);
    }
    case 'negate':
      return { sql: `(-${translate(e.operand, ctx, true).sql})`, type: e.type };
    case 'arith':
      return { sql: arithmeticSql(e, ctx), type: e.type };
    case 'call':
      return callSql(e, ctx);
    case 'any':
    case 'all':
      return { sql: lambdaSql(e, ctx), type: 'Edm.Boolean' };
    case 'count': {
      const source = collectionSource(e.source, ctx);
      const filter = e.filter ? ` AND ${translate(e.filter, ctx).sql}` : '';
      return {
        sql: `(SELECT count(*) FROM ${source.from} WHERE ${source.where}${filter})`,
        type: 'Edm.Int64',
      };
    }
    case 'cast':
      return { sql: castSql(e, ctx), type: e.type };
  }
}

/** A boolean condition for WHERE (NULL and FALSE both drop the row there). */
export function condition(e: BoundExpr, ctx: TranslateContext): string {
  return translate(e, ctx).sql;
}

function twoValuedSql(e: BoundExpr, sql: string, twoValued: boolean): Typed {
  return { sql: twoValued && unknownWhereFalse(e) ? `COALESCE(${sql}, FALSE)` : sql, type: 'Edm.Boolean' };
}

function propertySql(range: RangeVariable, p: EdmProperty, alias: string, ctx: TranslateContext): string {
  const override = ctx.overrides?.range === range ? ctx.overrides.sql[p.name] : undefined;
  return override ?? p.expression ?? `${alias}.${ident(p.column)}`;
}

function comparisonSql(e: Extract<BoundExpr, { kind: 'compare' }>, ctx: TranslateContext): string {
  const l = translate(e.left, ctx, true).sql;
  const r = translate(e.right, ctx, true).sql;
  // OData's eq/ne treat null as a value (null eq null is true), unlike SQL's = and <>. With a
  // literal on one side plain = is the same and keeps the comparison index-friendly.
  const literalSide = e.left.kind === 'literal' || e.right.kind === 'literal';
  if (e.op === 'eq' && !literalSide) return `(${l} IS NOT DISTINCT FROM ${r})`;
  if (e.op === 'ne') return `(${l} IS DISTINCT FROM ${r})`;
  return `(${l} ${COMPARE_SQL[e.op]} ${r})`;
}

function arithmeticSql(e: Extract<BoundExpr, { kind: 'arith' }>, ctx: TranslateContext): string {
  const l = translate(e.left, ctx, true).sql;
  const r = translate(e.right, ctx, true).sql;
  if (e.type === 'Edm.Duration' || e.type === 'Edm.DateTimeOffset' || e.type === 'Edm.Date')
    return `(${l} ${ARITH_SQL[e.op]} ${r})`;
  // Division by zero yields null rather than an error that depends on a row's value.
  if (e.op === 'mod') return `mod(CAST(${l} AS numeric), NULLIF(CAST(${r} AS numeric), 0))`;
  if (e.op === 'divby') return `(CAST(${l} AS numeric) / NULLIF(${r}, 0))`;
  if (e.op === 'div') return `(${l} / NULLIF(${r}, 0))`;
  return `(${l} ${ARITH_SQL[e.op]} ${r})`;
}

/** The largest magnitude a cast to a narrower number type keeps (a little inside, for rounding). */
const NUMERIC_LIMIT: Record<string, string | undefined> = {
  smallint: '32767',
  integer: '2147483647',
  bigint: '9223372036854770000',
  real: '3.4e38',
};

function castSql(e: Extract<BoundExpr, { kind: 'cast' }>, ctx: TranslateContext): string {
  const target = e.type as keyof typeof PG_TYPE;
  const pg = PG_TYPE[target];
  const v = translate(e.operand, ctx, true);
  if (v.type === target || v.type === 'null') return `CAST(${v.sql} AS ${pg})`;
  if (target === 'Edm.String') return `CAST(${v.sql} AS text)`;
  if (NUMERIC_TYPES.has(v.type) && NUMERIC_TYPES.has(target)) {
    // Between numbers PostgreSQL rounds; a value out of the target's range is null, not an error.
    const limit = NUMERIC_LIMIT[pg];
    if (!limit) return `CAST(${v.sql} AS ${pg})`;
    return `(CASE WHEN abs(${v.sql}) <= ${limit} THEN CAST(${v.sql} AS ${pg}) END)`;
  }
  return `${TRY_CAST_FUNCTION[pg]}(CAST(${v.sql} AS text))`;
}

function callSql(e: Extract<BoundExpr, { kind: 'call' }>, ctx: TranslateContext): Typed {
  const [subject, pattern] = e.args;
  // Literal patterns become escaped LIKE patterns: index-backed (trigram) and wildcard-safe.
  if (
    (e.name === 'contains' || e.name === 'startswith' || e.name === 'endswith') &&
    pattern.kind === 'literal' &&
    pattern.type === 'Edm.String'
  ) {
    const likeOf = (v: unknown) => {
      const text = escapeLike(String(v));
      return e.name === 'contains' ? `%${text}%` : e.name === 'startswith' ? `${text}%` : `%${text}`;
    };
    const source = ctx.params.holes?.at(pattern, 'value', likeOf);
    return {
      sql: `(${translate(subject, ctx, true).sql} LIKE ${ctx.params.typed(likeOf(pattern.value), 'text', source)})`,
      type: 'Edm.Boolean',
    };
  }
  const sql = canonicalFunction(
    e.name,
    e.args.map((a) => translate(a, ctx, true)),
  );
  return { sql, type: e.type };
}

function lambdaSql(e: Extract<BoundExpr, { kind: 'any' | 'all' }>, ctx: TranslateContext): string {
  const source = collectionSource(e.source, ctx);
  if (!e.predicate) {
    if (e.kind === 'all') return 'TRUE';
    return `EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where})`;
  }
  const inner = translate(e.predicate, ctx).sql;
  if (e.kind === 'any') return `EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where} AND ${inner})`;
  return `NOT EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where} AND NOT COALESCE(${inner}, FALSE))`;
}
