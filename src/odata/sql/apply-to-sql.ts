import type { DataSource } from 'typeorm';
import type { EdmEntityType, EdmModel } from '../model/edm-model';
import type { ODataQuery } from '../query/odata-query';
import type { BoundAggregate, BoundQuery } from '../bind/bound-query';
import { bindQuery } from '../bind/bind-query';
import { NO_LIMITS } from '../bind/limits';
import type { RowScope } from './build-select';
import { AliasGenerator, TranslateContext, condition, translate } from './filter-to-sql';
import { SqlParams, ident } from './sql-params';
import { guardedConditions } from './scope-guard';
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
  pageSize: number;
  /** Output names in order; `Project/Name` nests as {"Project":{"Name":...}} in the response. */
  columns: string[];
  offset: number;
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
    query: ODataQuery;
    scopes: RowScope[];
    pageSize: number;
    offset: number;
    maxInList: number;
    scope?: ReadScope;
  },
): ApplyPlan {
  // REVISIT: http/ should call bindQuery itself (with all the limits) and hand the bound query over.
  const limits = { ...NO_LIMITS, maxInList: input.maxInList };
  const bound = bindQuery({ model: input.model, type: input.type, query: input.query, limits });
  return applySql(dataSource, input, bound);
}

export function applySql(
  dataSource: DataSource,
  input: {
    model: EdmModel;
    type: EdmEntityType;
    scopes: RowScope[];
    pageSize: number;
    offset: number;
    scope?: ReadScope;
  },
  query: BoundQuery,
): ApplyPlan {
  const apply = query.apply!;
  const params = new SqlParams();
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
  // a stable order for paging: every output column
  order.push(...columns.map((c) => `${alias}.${ident(c)}`));
  const top = query.top;
  const limit = Math.min(input.pageSize, top ?? Infinity);
  const countSql = query.count
    ? `, (SELECT count(*) FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}) AS "count"`
    : '';
  const sql =
    `SELECT CAST(json_build_array(${columns.map((c) => `${alias}.${ident(c)}`).join(', ')}) AS text) AS "j"${countSql} FROM ${from}` +
    `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order.join(', ')} LIMIT ${limit + 1} OFFSET ${input.offset + (query.skip ?? 0)}`;
  // Named parameters bound by TypeORM's driver, as in every other statement.
  const [text, parameters] = dataSource.driver.escapeQueryWithParameters(sql, params.values, {});
  return { sql: text, parameters, pageSize: limit, columns, offset: input.offset };
}
