import type { DataSource } from 'typeorm';
import type { EdmEntityType, EdmModel } from '../model/edm-model';
import type { ApplyStep, Expr, ODataQuery } from '../query/odata-query';
import type { BoundAggregate, BoundQuery } from '../bind/bound-query';
import type { RowScope } from './build-select';
import { AliasGenerator, TranslateContext, condition, translate } from './filter-to-sql';
import { ParamSource, SqlParams, ident } from './sql-params';
import { guardedConditions } from './scope-guard';
import { OffsetPage, offsetPage } from './paging';
import type { ReadScope } from '../access/access-policy';

const AGG_SQL = {
  sum: 'sum',
  min: 'min',
  max: 'max',
  average: 'avg',
} as const;

export interface ApplyPlan {
  sql: string;
  parameters: unknown[];
  /** Where each parameter comes from (plan/: a compiled $apply serves every request of its shape). */
  sources: ParamSource[];
  /** The page asked for (limit + 1 rows are read: one more tells that a next page exists). */
  page: OffsetPage;
  /** Output names in order; `Project/Name` nests as {"Project":{"Name":...}} in the response. */
  columns: string[];
  /** The $count alone, for a page with no rows to carry it (e.g. a $skip past the end). */
  count: { sql: string; parameters: unknown[]; sources: ParamSource[] };
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

function aggregateSql(a: BoundAggregate, ctx: TranslateContext): string {
  if (a.method === 'count') return 'count(*)';
  const v = translate(a.expr, ctx, true).sql;
  if (a.method === 'countdistinct') return `count(DISTINCT ${v})`;
  return `${AGG_SQL[a.method]}(${v})`;
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
    /** The bound query (bind/bindQuery). */
    query: BoundQuery;
    scopes: RowScope[];
    pageSize: number;
    scope?: ReadScope;
  },
  params = new SqlParams(),
): ApplyPlan {
  return applySql(dataSource, input, input.query, params);
}

export function applySql(
  dataSource: DataSource,
  input: {
    model: EdmModel;
    type: EdmEntityType;
    scopes: RowScope[];
    pageSize: number;
    scope?: ReadScope;
  },
  query: BoundQuery,
  params = new SqlParams(),
): ApplyPlan {
  const apply = query.apply!;
  const aliases = new AliasGenerator();
  const ctx: TranslateContext = {
    model: input.model,
    params,
    aliases,
    ranges: new Map([[query.root, 'e0']]),
    scope: input.scope,
  };
  let from = `${ident(input.type.table)} e0`;
  let where: string[] = input.scopes.map((s) => s('e0', params, aliases));
  const inScope = input.scope ? () => input.scope!(input.type, 'e0', params, aliases) : undefined;
  const access = inScope?.();
  if (access) where.push(access);
  const columns = apply.columns;
  let level = 0;

  for (const step of apply.steps) {
    if (step.kind === 'filter') {
      if (step.grouped) where.push(condition(step.expr, ctx));
      else where.push(...guardedConditions(step.expr, ctx, inScope)); // on the set's rows: guarded by their scope
      continue;
    }
    const outputs = [
      ...step.keys.map((k) => ({ name: k.name, sql: translate(k.expr, ctx, true).sql })),
      ...step.aggregates.map((a) => ({ name: a.name, sql: aggregateSql(a, ctx) })),
    ];
    const select = outputs.map((o) => `${o.sql} AS ${ident(o.name)}`).join(', ');
    const groupBy = step.keys.length ? ` GROUP BY ${step.keys.map((_, i) => i + 1).join(', ')}` : '';
    const sql = `SELECT ${select || '1'} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${groupBy}`;
    level++;
    from = `(${sql}) g${level}`;
    ctx.ranges.set(step.output, `g${level}`);
    where = [];
  }

  const alias = `g${level}`;
  if (query.filter) where.push(condition(query.filter, ctx));
  const order = query.orderby.map((o) => {
    const v = translate(o.expr, ctx, true);
    return `${v.sql} ${o.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`;
  });
  // a total order for paging by offset: the rows are distinct, so every output column decides
  order.push(...columns.map((c) => `${alias}.${ident(c)} ASC NULLS FIRST`));
  const page = offsetPage(query, input.pageSize);
  const count = `SELECT count(*) AS "count" FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const countSql = query.count ? `, (${count}) AS "count"` : '';
  // LIMIT and OFFSET are parameters, so that one plan serves every page of a shape.
  const limit = params.add(page.limit + 1, { k: 'limit' });
  const offset = params.add(page.skip + page.served, { k: 'offset' });
  const sql =
    `SELECT CAST(json_build_array(${columns.map((c) => `${alias}.${ident(c)}`).join(', ')}) AS text) AS "j"${countSql} FROM ${from}` +
    `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order.join(', ')} LIMIT ${limit} OFFSET ${offset}`;
  return {
    ...positionalText(dataSource, sql, params),
    page,
    columns,
    count: positionalText(dataSource, count, params),
  };
}

/** `:name` parameters as `$n` (TypeORM's driver numbers them), each with its value and source. */
function positionalText(dataSource: DataSource, sql: string, params: SqlParams) {
  // Each parameter's value is set to its own name: the order the driver numbers them in.
  const names = Object.fromEntries(Object.keys(params.values).map((n) => [n, n]));
  const [text, order] = dataSource.driver.escapeQueryWithParameters(sql, names, {}) as [string, string[]];
  return {
    sql: text,
    parameters: order.map((n) => params.values[n]),
    sources: order.map((n) => params.sources[n]),
  };
}
