import { ErrorCode, ODataError } from '../errors/odata-error';
import { compat } from '../compat';
import type { EdmEntityType, EdmModel, EdmNavigation, EdmPrimitive, EdmProperty } from '../model/edm-model';
import type { Expr, LiteralType } from '../query/odata-query';
import { Typed, canonicalFunction } from './canonical-functions';
import { NUMERIC_TYPES, PG_TYPE, TRY_CAST_FUNCTION } from './pg-types';
import { SqlParams, escapeLike, ident } from './sql-params';
import type { ReadScope } from '../access/access-policy';

/** `AND <the caller's read scope of type at alias>`, or nothing. */
export function scopeAnd(
  ctx: Pick<TranslateContext, 'scope' | 'params' | 'aliases'>,
  type: EdmEntityType,
  alias: string,
): string {
  const s = ctx.scope?.(type, alias, ctx.params, ctx.aliases);
  return s ? ` AND ${s}` : '';
}

/** What a name in an expression can refer to: an entity row under an alias, or a primitive collection element. */
export type Scope =
  | { kind: 'entity'; type: EdmEntityType; alias: string }
  | { kind: 'primitive'; type: EdmPrimitive; sql: string };

export interface TranslateContext {
  model: EdmModel;
  params: SqlParams;
  /** The resource being filtered ($it). */
  root: Scope & { kind: 'entity' };
  /** Lambda variables in scope. */
  variables?: Map<string, Scope>;
  /** Fresh alias generator shared by the whole statement. */
  aliases: AliasGenerator;
  /** Limits from configuration. */
  maxInList?: number;
  /** What the caller may read, applied to every table an expression reaches. */
  scope?: ReadScope;
}

export class AliasGenerator {
  private n = 0;
  next(prefix = 'a'): string {
    return `${prefix}${++this.n}`;
  }
}

const LITERAL_EDM: Record<Exclude<LiteralType, 'null'>, EdmPrimitive> = {
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

const COMPARE_SQL = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
const ARITH_SQL = { add: '+', sub: '-', mul: '*', div: '/', divby: '/', mod: '%' } as const;

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The SQL condition that joins `from` (alias) to `to` (alias) along a navigation. */
export function navigationJoin(
  nav: EdmNavigation,
  fromAlias: string,
  toAlias: string,
  aliases: AliasGenerator,
): string {
  if (nav.join.kind === 'foreignKey') {
    return nav.join.pairs
      .map((p) => `${toAlias}.${ident(p.target)} = ${fromAlias}.${ident(p.source)}`)
      .join(' AND ');
  }
  const j = aliases.next('j');
  const { table, sourcePairs, targetPairs } = nav.join;
  const cond = [
    ...sourcePairs.map((p) => `${j}.${ident(p.junction)} = ${fromAlias}.${ident(p.source)}`),
    ...targetPairs.map((p) => `${j}.${ident(p.junction)} = ${toAlias}.${ident(p.target)}`),
  ].join(' AND ');
  return `EXISTS (SELECT 1 FROM ${ident(table)} ${j} WHERE ${cond})`;
}

/**
 * FilterExpr -> SQL text with bound parameters; one visitor case per node kind.
 *
 *   Name eq 'Sam'                 -> e0."Name" = CAST(:p0 AS text)
 *   Project/Name eq 'X'           -> (SELECT a1."Name" FROM "project" a1 WHERE a1."ProjectId" = e0."ProjectId") = ...
 *   Notes/any(n: n/Note eq 'a')   -> EXISTS (SELECT 1 FROM "task_item_note" a2 WHERE a2."TaskItemId" = e0."TaskItemId" AND ...)
 *   contains(Name,'50%')          -> e0."Name" LIKE :p0   (p0 = '%50\%%')
 */
export function translate(expr: Expr, ctx: TranslateContext, expected?: EdmPrimitive): Typed {
  switch (expr.kind) {
    case 'literal':
      return literalSql(expr, ctx, expected);
    case 'member':
      return memberSql(expr.path, expr.scope, ctx);
    case 'not':
      return { sql: `(NOT ${condition(expr.operand, ctx)})`, type: 'Edm.Boolean' };
    case 'negate': {
      const v = translate(expr.operand, ctx);
      return { sql: `(-${v.sql})`, type: v.type };
    }
    case 'binary': {
      if (expr.op === 'and' || expr.op === 'or') {
        return {
          sql: `(${condition(expr.left, ctx)} ${expr.op.toUpperCase()} ${condition(expr.right, ctx)})`,
          type: 'Edm.Boolean',
        };
      }
      if (expr.op === 'has')
        throw ODataError.notImplemented(
          'The has operator needs enumeration types, which this service does not declare',
        );
      if (expr.op in COMPARE_SQL)
        return comparison(expr.op as keyof typeof COMPARE_SQL, expr.left, expr.right, ctx);
      return arithmetic(expr.op as keyof typeof ARITH_SQL, expr.left, expr.right, ctx);
    }
    case 'in': {
      const left = translate(expr.left, ctx);
      if (ctx.maxInList !== undefined && expr.list.length > ctx.maxInList) {
        throw new ODataError(
          400,
          ErrorCode.LimitExceeded,
          `The in list has ${expr.list.length} items; at most ${ctx.maxInList} are allowed`,
          '$filter',
        );
      }
      const items = expr.list.map((i) => translate(i, ctx, left.type === 'null' ? undefined : left.type));
      if (items.length === 0) return { sql: 'FALSE', type: 'Edm.Boolean' };
      return { sql: `(${left.sql} IN (${items.map((i) => i.sql).join(', ')}))`, type: 'Edm.Boolean' };
    }
    case 'call':
      return callSql(expr.name, expr.args, ctx);
    case 'lambda':
      return lambdaSql(expr, ctx);
    case 'count':
      return countSql(expr, ctx);
    case 'cast': {
      const target = expr.type as EdmPrimitive;
      const pg = PG_TYPE[target];
      if (!pg)
        throw ODataError.badRequest(`Cannot cast to ${expr.type}`, '$filter', ErrorCode.BadQueryOption);
      const v = translate(expr.operand, ctx);
      if (v.type === target || v.type === 'null') return { sql: `CAST(${v.sql} AS ${pg})`, type: target };
      if (target === 'Edm.String') return { sql: `CAST(${v.sql} AS text)`, type: target };
      if (NUMERIC_TYPES.has(v.type) && NUMERIC_TYPES.has(target)) {
        // Between numbers PostgreSQL rounds; a value out of the target's range is null, not an error.
        const limit = NUMERIC_LIMIT[pg];
        if (!limit) return { sql: `CAST(${v.sql} AS ${pg})`, type: target };
        return {
          sql: `(CASE WHEN abs(${v.sql}) <= ${limit} THEN CAST(${v.sql} AS ${pg}) END)`,
          type: target,
        };
      }
      return { sql: `${TRY_CAST_FUNCTION[pg]}(CAST(${v.sql} AS text))`, type: target };
    }
    case 'isof': {
      const v = translate(expr.operand, ctx);
      return { sql: v.type === expr.type ? 'TRUE' : 'FALSE', type: 'Edm.Boolean' };
    }
  }
}

/** The largest magnitude a cast to a narrower number type keeps (a little inside, for rounding). */
const NUMERIC_LIMIT: Record<string, string | undefined> = {
  smallint: '32767',
  integer: '2147483647',
  bigint: '9223372036854770000',
  real: '3.4e38',
};

/** A boolean SQL condition; a non-boolean expression here is a 400. */
export function condition(expr: Expr, ctx: TranslateContext): string {
  const t = translate(expr, ctx);
  if (t.type !== 'Edm.Boolean' && t.type !== 'null') {
    throw ODataError.badRequest(`Expression must be boolean, but is ${t.type}`, '$filter', ErrorCode.BadType);
  }
  return t.sql;
}

function literalSql(
  expr: Extract<Expr, { kind: 'literal' }>,
  ctx: TranslateContext,
  expected?: EdmPrimitive,
): Typed {
  if (expr.type === 'null') return { sql: 'NULL', type: 'null' };
  let type = LITERAL_EDM[expr.type];
  let value: unknown = expr.value;
  // The seed writes Guids quoted ('0b1c...'); accept that where the other side is a Guid.
  if (compat.acceptsQuotedGuid(expected, expr.type)) {
    if (!GUID_RE.test(String(value)))
      throw ODataError.badRequest(`'${value}' is not a valid Guid`, '$filter', ErrorCode.BadLiteral);
    type = 'Edm.Guid';
  }
  if (expected === 'Edm.DateTimeOffset' && expr.type === 'date') type = 'Edm.DateTimeOffset';
  if (expected && NUMERIC_TYPES.has(expected) && NUMERIC_TYPES.has(type)) type = expected;
  if (type === 'Edm.Duration') value = String(value);
  if (type === 'Edm.DateTimeOffset' || type === 'Edm.Date') {
    const d = new Date(String(value));
    if (Number.isNaN(d.getTime()))
      throw ODataError.badRequest(`'${value}' is not a valid ${type}`, '$filter', ErrorCode.BadLiteral);
  }
  return { sql: ctx.params.typed(value, PG_TYPE[type]), type };
}

function comparison(
  op: keyof typeof COMPARE_SQL,
  leftExpr: Expr,
  rightExpr: Expr,
  ctx: TranslateContext,
): Typed {
  // Type the literal side from the other side, so parameters match the column's type (index use).
  const leftIsLiteral = leftExpr.kind === 'literal';
  const left = leftIsLiteral ? undefined : translate(leftExpr, ctx);
  const right = translate(rightExpr, ctx, left && left.type !== 'null' ? left.type : undefined);
  const l = left ?? translate(leftExpr, ctx, right.type !== 'null' ? right.type : undefined);

  if (l.type === 'null' || right.type === 'null') {
    const other = l.type === 'null' ? right : l;
    if (op === 'eq') return { sql: `(${other.sql} IS NULL)`, type: 'Edm.Boolean' };
    if (op === 'ne') return { sql: `(${other.sql} IS NOT NULL)`, type: 'Edm.Boolean' };
    return { sql: 'NULL', type: 'Edm.Boolean' };
  }
  checkComparable(l.type, right.type);
  // OData's eq/ne treat null as a value (null eq null is true), unlike SQL's = and <>. With a
  // literal on one side plain = is the same and keeps the comparison index-friendly.
  const literalSide = leftExpr.kind === 'literal' || rightExpr.kind === 'literal';
  if (op === 'eq' && !literalSide)
    return { sql: `(${l.sql} IS NOT DISTINCT FROM ${right.sql})`, type: 'Edm.Boolean' };
  if (op === 'ne') return { sql: `(${l.sql} IS DISTINCT FROM ${right.sql})`, type: 'Edm.Boolean' };
  return { sql: `(${l.sql} ${COMPARE_SQL[op]} ${right.sql})`, type: 'Edm.Boolean' };
}

function checkComparable(a: EdmPrimitive, b: EdmPrimitive): void {
  if (a === b) return;
  if (NUMERIC_TYPES.has(a) && NUMERIC_TYPES.has(b)) return;
  const dates = new Set(['Edm.DateTimeOffset', 'Edm.Date']);
  if (dates.has(a) && dates.has(b)) return;
  throw ODataError.badRequest(`Cannot compare ${a} with ${b}`, '$filter', ErrorCode.BadType);
}

function arithmetic(
  op: keyof typeof ARITH_SQL,
  leftExpr: Expr,
  rightExpr: Expr,
  ctx: TranslateContext,
): Typed {
  const left = translate(leftExpr, ctx);
  const right = translate(
    rightExpr,
    ctx,
    NUMERIC_TYPES.has(left.type) ? (left.type as EdmPrimitive) : undefined,
  );
  const dateLike = (t: string) => t === 'Edm.DateTimeOffset' || t === 'Edm.Date' || t === 'Edm.Duration';
  if (dateLike(left.type) || dateLike(right.type)) {
    if (
      (op === 'add' || op === 'sub') &&
      (right.type === 'Edm.Duration' || left.type === 'Edm.Duration' || op === 'sub')
    ) {
      const type =
        left.type === 'Edm.Duration' && right.type === 'Edm.Duration'
          ? 'Edm.Duration'
          : op === 'sub' && dateLike(left.type) && left.type === right.type
            ? 'Edm.Duration'
            : left.type === 'Edm.Duration'
              ? right.type
              : left.type;
      return { sql: `(${left.sql} ${ARITH_SQL[op]} ${right.sql})`, type: type as EdmPrimitive };
    }
    throw ODataError.badRequest(
      `Operator ${op} cannot combine ${left.type} and ${right.type}`,
      '$filter',
      ErrorCode.BadType,
    );
  }
  for (const side of [left, right]) {
    if (side.type !== 'null' && !NUMERIC_TYPES.has(side.type)) {
      throw ODataError.badRequest(
        `Operator ${op} needs numbers, but got ${side.type}`,
        '$filter',
        ErrorCode.BadType,
      );
    }
  }
  const type = widen(left.type, right.type);
  // Division by zero yields null rather than an error that depends on a row's value.
  if (op === 'mod')
    return { sql: `mod(CAST(${left.sql} AS numeric), NULLIF(CAST(${right.sql} AS numeric), 0))`, type };
  if (op === 'divby')
    return { sql: `(CAST(${left.sql} AS numeric) / NULLIF(${right.sql}, 0))`, type: 'Edm.Decimal' };
  if (op === 'div') return { sql: `(${left.sql} / NULLIF(${right.sql}, 0))`, type };
  return { sql: `(${left.sql} ${ARITH_SQL[op]} ${right.sql})`, type };
}

function widen(a: EdmPrimitive | 'null', b: EdmPrimitive | 'null'): EdmPrimitive {
  const order: EdmPrimitive[] = [
    'Edm.Byte',
    'Edm.SByte',
    'Edm.Int16',
    'Edm.Int32',
    'Edm.Int64',
    'Edm.Decimal',
    'Edm.Single',
    'Edm.Double',
  ];
  const ia = order.indexOf(a as EdmPrimitive);
  const ib = order.indexOf(b as EdmPrimitive);
  return order[Math.max(ia, ib, 0)];
}

function callSql(name: string, args: Expr[], ctx: TranslateContext): Typed {
  // Literal patterns become escaped LIKE patterns: index-backed (trigram) and wildcard-safe.
  if (
    (name === 'contains' || name === 'startswith' || name === 'endswith') &&
    args.length === 2 &&
    args[1].kind === 'literal' &&
    args[1].type === 'string'
  ) {
    const subject = translate(args[0], ctx);
    if (subject.type !== 'Edm.String')
      throw ODataError.badRequest(
        `${name} needs a string, got ${subject.type}`,
        '$filter',
        ErrorCode.BadType,
      );
    const text = escapeLike(String(args[1].value));
    const pattern = name === 'contains' ? `%${text}%` : name === 'startswith' ? `${text}%` : `%${text}`;
    return { sql: `(${subject.sql} LIKE ${ctx.params.typed(pattern, 'text')})`, type: 'Edm.Boolean' };
  }
  const typed = args.map((a) =>
    translate(
      a,
      ctx,
      name === 'concat' ||
        name.endsWith('with') ||
        name === 'contains' ||
        name === 'indexof' ||
        name === 'matchespattern'
        ? 'Edm.String'
        : undefined,
    ),
  );
  return canonicalFunction(name, typed);
}

interface ResolvedPath {
  /** The scope where the path's last segment lives. */
  scope: Scope;
  /** Navigations walked from the start scope (all single-valued), with their aliases. */
  joins: Array<{ nav: EdmNavigation; from: string; to: string; type: EdmEntityType }>;
  /** The last segment, when it is a property or a navigation. */
  last?: { property?: EdmProperty; navigation?: EdmNavigation; dynamic?: string };
}

function startScope(scopeName: string | undefined, ctx: TranslateContext): Scope {
  if (!scopeName || scopeName === '$it') return ctx.root;
  if (scopeName === '$root') throw ODataError.notImplemented('$root in expressions is not supported');
  const s = ctx.variables?.get(scopeName);
  if (!s)
    throw ODataError.badRequest(
      `Unknown lambda variable '${scopeName}'`,
      '$filter',
      ErrorCode.UnknownProperty,
    );
  return s;
}

/** Walks a path: single-valued navigations, then a property or navigation at the end. */
function resolvePath(path: string[], scopeName: string | undefined, ctx: TranslateContext): ResolvedPath {
  let scope = startScope(scopeName, ctx);
  const joins: ResolvedPath['joins'] = [];
  for (let i = 0; i < path.length; i++) {
    const name = path[i];
    const isLast = i === path.length - 1;
    if (scope.kind === 'primitive')
      throw ODataError.badRequest(
        `'${name}' cannot follow a primitive value`,
        '$filter',
        ErrorCode.UnknownProperty,
      );
    const property = scope.type.property.get(name);
    if (property) {
      if (!isLast)
        throw ODataError.badRequest(
          `Property '${name}' has no properties of its own`,
          '$filter',
          ErrorCode.UnknownProperty,
        );
      return { scope, joins, last: { property } };
    }
    const navigation = scope.type.navigation.get(name);
    if (navigation) {
      if (isLast) return { scope, joins, last: { navigation } };
      if (navigation.collection) {
        throw ODataError.badRequest(
          `'${name}' is a collection; use any(), all() or $count on it`,
          '$filter',
          ErrorCode.BadQueryOption,
        );
      }
      const type = ctx.model.types.get(navigation.target)!;
      const to = ctx.aliases.next();
      joins.push({ nav: navigation, from: scope.alias, to, type });
      scope = { kind: 'entity', type, alias: to };
      continue;
    }
    if (isLast && scope.type.openType && scope.type.dynamicColumn)
      return { scope, joins, last: { dynamic: name } };
    throw ODataError.badRequest(
      `Property '${name}' does not exist on ${scope.type.name}`,
      '$filter',
      ErrorCode.UnknownProperty,
    );
  }
  return { scope, joins };
}

/** Wraps `valueSql` (over the last join's alias) in a scalar subquery along the joins. */
function throughJoins(joins: ResolvedPath['joins'], valueSql: string, ctx: TranslateContext): string {
  if (joins.length === 0) return valueSql;
  const [first, ...rest] = joins;
  // A related row the caller may not see counts as absent (null), through every join.
  const from = [
    `${ident(first.type.table)} ${first.to}`,
    ...rest.map(
      (j) =>
        `LEFT JOIN ${ident(j.type.table)} ${j.to} ON ${navigationJoin(j.nav, j.from, j.to, ctx.aliases)}${scopeAnd(ctx, j.type, j.to)}`,
    ),
  ];
  return `(SELECT ${valueSql} FROM ${from.join(' ')} WHERE ${navigationJoin(first.nav, first.from, first.to, ctx.aliases)}${scopeAnd(ctx, first.type, first.to)})`;
}

function memberSql(path: string[], scopeName: string | undefined, ctx: TranslateContext): Typed {
  if (path.length === 0) {
    const s = startScope(scopeName, ctx);
    if (s.kind === 'primitive') return { sql: s.sql, type: s.type };
    throw ODataError.badRequest(
      'An entity cannot be used as a value here',
      '$filter',
      ErrorCode.BadQueryOption,
    );
  }
  const r = resolvePath(path, scopeName, ctx);
  const alias = r.scope.kind === 'entity' ? r.scope.alias : '';
  if (r.last?.property) {
    if (r.last.property.collection)
      throw ODataError.badRequest(
        `'${r.last.property.name}' is a collection; use any() or all()`,
        '$filter',
        ErrorCode.BadQueryOption,
      );
    const column = r.last.property.expression ?? `${alias}.${ident(r.last.property.column)}`;
    return { sql: throughJoins(r.joins, column, ctx), type: r.last.property.type };
  }
  if (r.last?.dynamic && r.scope.kind === 'entity') {
    const prefix = r.scope.type.dynamicPrefix;
    const name = r.last.dynamic.startsWith(prefix) ? r.last.dynamic.slice(prefix.length) : r.last.dynamic;
    return {
      sql: throughJoins(
        r.joins,
        `(${alias}.${ident(r.scope.type.dynamicColumn!)} ->> ${ctx.params.typed(name, 'text')})`,
        ctx,
      ),
      type: 'Edm.String',
    };
  }
  if (r.last?.navigation && !r.last.navigation.collection && r.scope.kind === 'entity') {
    // Only meaningful compared with null: Project eq null.
    const nav = r.last.navigation;
    const target = ctx.model.types.get(nav.target)!;
    const to = ctx.aliases.next();
    const keySql = throughJoins(
      [...r.joins, { nav, from: alias, to, type: target }],
      `${to}.${ident(target.keys[0].column)}`,
      ctx,
    );

    return { sql: keySql, type: target.keys[0].type };
  }
  throw ODataError.badRequest(
    `'${path.join('/')}' cannot be used as a value`,
    '$filter',
    ErrorCode.BadQueryOption,
  );
}

/** FROM/WHERE of the rows of a collection-valued path, with the scope its elements get. */
function collectionSource(
  path: string[],
  scopeName: string | undefined,
  ctx: TranslateContext,
): { from: string; where: string; element: Scope } {
  const r = resolvePath(path, scopeName, ctx);
  if (r.scope.kind !== 'entity')
    throw ODataError.badRequest(
      `'${path.join('/')}' is not a collection`,
      '$filter',
      ErrorCode.BadQueryOption,
    );
  const joinPrefix = r.joins.length
    ? {
        from: r.joins.map((j, i) =>
          i === 0
            ? `${ident(j.type.table)} ${j.to}`
            : `JOIN ${ident(j.type.table)} ${j.to} ON ${navigationJoin(j.nav, j.from, j.to, ctx.aliases)}${scopeAnd(ctx, j.type, j.to)}`,
        ),
        where: [
          navigationJoin(r.joins[0].nav, r.joins[0].from, r.joins[0].to, ctx.aliases) +
            scopeAnd(ctx, r.joins[0].type, r.joins[0].to),
        ],
      }
    : { from: [] as string[], where: [] as string[] };
  if (r.last?.property?.collection) {
    const el = ctx.aliases.next('l');
    const from = joinPrefix.from.length
      ? `${joinPrefix.from.join(' ')} CROSS JOIN LATERAL unnest(${r.scope.alias}.${ident(r.last.property.column)}) AS ${el}(v)`
      : `unnest(${r.scope.alias}.${ident(r.last.property.column)}) AS ${el}(v)`;
    return {
      from,
      where: joinPrefix.where.join(' AND ') || 'TRUE',
      element: { kind: 'primitive', type: r.last.property.type, sql: `${el}.v` },
    };
  }
  if (r.last?.navigation?.collection) {
    const target = ctx.model.types.get(r.last.navigation.target)!;
    const el = ctx.aliases.next('l');
    const from = [
      ...joinPrefix.from,
      joinPrefix.from.length ? `JOIN ${ident(target.table)} ${el} ON TRUE` : `${ident(target.table)} ${el}`,
    ].join(' ');
    const where = [
      ...joinPrefix.where,
      navigationJoin(r.last.navigation, r.scope.alias, el, ctx.aliases) + scopeAnd(ctx, target, el),
    ].join(' AND ');
    return { from, where, element: { kind: 'entity', type: target, alias: el } };
  }
  throw ODataError.badRequest(`'${path.join('/')}' is not a collection`, '$filter', ErrorCode.BadQueryOption);
}

function lambdaSql(expr: Extract<Expr, { kind: 'lambda' }>, ctx: TranslateContext): Typed {
  const source = collectionSource(expr.path, expr.scope, ctx);
  if (!expr.predicate) {
    if (expr.op === 'all') return { sql: 'TRUE', type: 'Edm.Boolean' };
    return { sql: `EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where})`, type: 'Edm.Boolean' };
  }
  const variables = new Map(ctx.variables ?? []);
  variables.set(expr.variable!, source.element);
  const inner = condition(expr.predicate, { ...ctx, variables });
  if (expr.op === 'any')
    return {
      sql: `EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where} AND ${inner})`,
      type: 'Edm.Boolean',
    };
  return {
    sql: `NOT EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.where} AND NOT COALESCE(${inner}, FALSE))`,
    type: 'Edm.Boolean',
  };
}

function countSql(expr: Extract<Expr, { kind: 'count' }>, ctx: TranslateContext): Typed {
  const source = collectionSource(expr.path, expr.scope, ctx);
  const filter = expr.filter ? ` AND ${condition(expr.filter, { ...ctx, root: source.element as any })}` : '';
  return { sql: `(SELECT count(*) FROM ${source.from} WHERE ${source.where}${filter})`, type: 'Edm.Int64' };
}
