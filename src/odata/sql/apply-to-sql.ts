import type { DataSource } from 'typeorm';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel, EdmPrimitive, EdmProperty } from '../model/edm-model';
import type { Aggregate, ApplyStep, Expr, ODataQuery } from '../query/odata-query';
import type { RowScope } from './build-select';
import { AliasGenerator, TranslateContext, condition, translate } from './filter-to-sql';
import { SqlParams, ident } from './sql-params';
import { guardedConditions } from './scope-guard';
import { OffsetPage, offsetPage } from './paging';
import type { ReadScope } from '../access/access-policy';

const AGG_SQL = {
  sum: 'sum',
  min: 'min',
  max: 'max',
  average: 'avg',
  countdistinct: 'count(DISTINCT',
} as const;

export interface ApplyPlan {
  sql: string;
  parameters: unknown[];
  /** The page asked for (limit + 1 rows are read: one more tells that a next page exists). */
  page: OffsetPage;
  /** Output names in order; `Project/Name` nests as {"Project":{"Name":...}} in the response. */
  columns: string[];
  /** The $count alone, for a page with no rows to carry it (e.g. a $skip past the end). */
  count: { sql: string; parameters: unknown[] };
}

/**
 * `$apply=filter(a)/filter(b)` is the set itself, filtered: it is read as `$filter=a and b` (then
 * the query's own $filter), so $select, $expand and keyset paging work as for any read.
 */
export function asPlainRead<Q extends ODataQuery>(query: Q): Q {
  const steps = query.apply;
  if (!steps?.length || steps.some((s) => s.kind !== 'filter')) return query;
  const filters = steps.map((s) => (s as Extract<ApplyStep, { kind: 'filter' }>).expr);
  if (query.filter) filters.push(query.filter);
  const filter = filters.reduce((left, right): Expr => ({ kind: 'binary', op: 'and', left, right }));
  return { ...query, apply: undefined, filter };
}

function aggregateSql(a: Aggregate, ctx: TranslateContext): { sql: string; type: EdmPrimitive } {
  if (a.kind === 'count') return { sql: 'count(*)', type: 'Edm.Int64' };
  const v = translate(a.expr, ctx);
  if (v.type === 'null')
    throw ODataError.badRequest(`Cannot aggregate null (${a.alias})`, '$apply', ErrorCode.BadQueryOption);
  if ((a.method === 'sum' || a.method === 'average') && !/Int|Double|Decimal|Single|Byte/.test(v.type)) {
    throw ODataError.badRequest(
      `${a.method} needs a number, but ${a.alias} aggregates ${v.type}`,
      '$apply',
      ErrorCode.BadType,
    );
  }
  if (a.method === 'countdistinct') return { sql: `count(DISTINCT ${v.sql})`, type: 'Edm.Int64' };
  const type: EdmPrimitive =
    a.method === 'average'
      ? 'Edm.Double'
      : a.method === 'sum' && /Int|Byte/.test(v.type)
        ? 'Edm.Int64'
        : v.type;
  return { sql: `${AGG_SQL[a.method]}(${v.sql})`, type };
}

/** Grouped navigation paths are flat columns ("Project/Name"): point member paths at them. */
function flattenGroupedPaths(e: Expr, type: EdmEntityType): Expr {
  if (e.kind === 'member' && e.path.length > 1 && type.property.has(e.path.join('/')))
    return { ...e, path: [e.path.join('/')] };
  const out: any = Array.isArray(e) ? [] : {};
  for (const [k, v] of Object.entries(e))
    out[k] =
      v && typeof v === 'object'
        ? Array.isArray(v)
          ? v.map((x) => (x && typeof x === 'object' ? flattenGroupedPaths(x, type) : x))
          : flattenGroupedPaths(v as Expr, type)
        : v;
  return out;
}

/** The grouped result as an entity type whose properties are the output columns of a derived table. */
function resultType(
  base: EdmEntityType,
  columns: Array<{ name: string; type: EdmPrimitive }>,
): EdmEntityType {
  const properties: EdmProperty[] = columns.map((c) => ({
    name: c.name,
    column: c.name,
    type: c.type,
    collection: false,
    nullable: true,
    computed: true,
    immutable: false,
    isKey: false,
    hasDefault: true,
  }));
  return {
    ...base,
    name: base.name,
    keys: [],
    properties,
    property: new Map(properties.map((p) => [p.name, p])),
    navigation: new Map(),
    openType: false,
    dynamicColumn: undefined,
  };
}

/**
 * $apply -> SQL, PostgreSQL doing all the grouping and aggregation:
 *   filter(...) before the first groupby/aggregate  -> WHERE
 *   groupby((A,Nav/B),aggregate(X with sum as S))    -> SELECT A, (nav subquery), sum(X) ... GROUP BY 1, 2
 *   anything after, and $filter/$orderby/$top/$skip  -> over the grouped rows as a derived table
 */
export function buildApply(
  dataSource: DataSource,
  input: {
    model: EdmModel;
    type: EdmEntityType;
    query: ODataQuery;
    scopes: RowScope[];
    pageSize: number;
    maxInList: number;
    scope?: ReadScope;
  },
): ApplyPlan {
  const steps: ApplyStep[] = input.query.apply ?? [];
  const params = new SqlParams();
  const aliases = new AliasGenerator();
  let current: EdmEntityType = input.type;
  let from = `${ident(input.type.table)} e0`;
  let where: string[] = input.scopes.map((s) => s('e0', params, aliases));
  const inScope = input.scope ? () => input.scope!(input.type, 'e0', params, aliases) : undefined;
  const access = inScope?.();
  if (access) where.push(access);
  let grouped = false;
  let columns: string[] = current.properties.map((p) => p.name);
  let level = 0;

  const ctxFor = (type: EdmEntityType, alias: string): TranslateContext => ({
    model: input.model,
    params,
    aliases,
    root: { kind: 'entity', type, alias },
    maxInList: input.maxInList,
    scope: input.scope,
  });

  for (const step of steps) {
    const alias = level === 0 ? 'e0' : `g${level}`;
    const ctx = ctxFor(current, alias);
    if (step.kind === 'filter') {
      if (grouped) where.push(condition(flattenGroupedPaths(step.expr, current), ctx));
      else where.push(...guardedConditions(step.expr, ctx, inScope)); // on the set's rows: guarded by their scope
      continue;
    }
    const groupPaths = step.kind === 'groupby' ? step.paths : [];
    const outputs: Array<{ name: string; type: EdmPrimitive; sql: string }> = [];
    for (const path of groupPaths) {
      const v = translate({ kind: 'member', path }, ctx);
      if (v.type === 'null')
        throw ODataError.badRequest(`Cannot group by ${path.join('/')}`, '$apply', ErrorCode.BadQueryOption);
      outputs.push({ name: path.join('/'), type: v.type, sql: v.sql });
    }
    const aggregates = step.kind === 'groupby' ? step.aggregates : step.aggregates;
    for (const a of aggregates) {
      if (outputs.some((o) => o.name === a.alias))
        throw ODataError.badRequest(`Alias ${a.alias} is used twice`, '$apply', ErrorCode.BadQueryOption);
      outputs.push({ name: a.alias, ...aggregateSql(a, ctx) });
    }
    const select = outputs.map((o) => `${o.sql} AS ${ident(o.name)}`).join(', ');
    const groupBy = groupPaths.length ? ` GROUP BY ${groupPaths.map((_, i) => i + 1).join(', ')}` : '';
    const sql = `SELECT ${select || '1'} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${groupBy}`;
    level++;
    from = `(${sql}) g${level}`;
    where = [];
    current = resultType(input.type, outputs);
    columns = outputs.map((o) => o.name);
    grouped = true;
  }
  if (!grouped) throw ODataError.notImplemented('$apply with only filter() transformations: use $filter');

  const alias = `g${level}`;
  const ctx = ctxFor(current, alias);
  if (input.query.filter) where.push(condition(flattenGroupedPaths(input.query.filter, current), ctx));
  if (input.query.search) throw ODataError.notImplemented('$search together with $apply is not supported');
  const order = input.query.orderby.map((o) => {
    const v = translate(flattenGroupedPaths(o.expr, current), ctx);
    return `${v.sql} ${o.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
  });
  // a total order for paging by offset: the rows are distinct, so every output column decides
  order.push(...columns.map((c) => `${alias}.${ident(c)} ASC NULLS FIRST`));
  const page = offsetPage(input.query, input.pageSize);
  const count = `SELECT count(*) AS "count" FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const countSql = input.query.count ? `, (${count}) AS "count"` : '';
  const sql =
    `SELECT CAST(json_build_array(${columns.map((c) => `${alias}.${ident(c)}`).join(', ')}) AS text) AS "j"${countSql} FROM ${from}` +
    `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order.join(', ')} LIMIT ${page.limit + 1} OFFSET ${page.skip + page.served}`;
  // Named parameters bound by TypeORM's driver, as in every other statement.
  const [text, parameters] = dataSource.driver.escapeQueryWithParameters(sql, params.values, {});
  const [countText, countParameters] = dataSource.driver.escapeQueryWithParameters(count, params.values, {});
  return { sql: text, parameters, page, columns, count: { sql: countText, parameters: countParameters } };
}
