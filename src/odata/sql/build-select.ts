import type { DataSource } from 'typeorm';
import type { EdmEntityType, EdmModel, EdmPrimitive } from '../model/edm-model';
import type { BoundQuery } from '../bind/bound-query';
import { AliasGenerator, translate } from './filter-to-sql';
import { SortKey, addSortKey, decodeSkipToken, keysetCondition } from './paging';
import { PG_TYPE } from './pg-types';
import { MetadataLevel, SelectContext, rowJsonSql } from './select-list';
import { searchCondition } from './search-to-sql';
import type { ReadScope } from '../access/access-policy';
import { ParamSource, SqlParams, ident } from './sql-params';
import { guardedConditions, guardedValue } from './scope-guard';

/** Restricts the rows of a set, e.g. to the targets of a navigation from one parent entity. */
export type RowScope = (alias: string, params: SqlParams, aliases: AliasGenerator) => string;

export interface SelectPlan {
  sql: string;
  parameters: unknown[];
  /** Where each parameter comes from (plan/ fills them for other requests of the same shape). */
  sources: ParamSource[];
  /** Rows asked of the database: pageSize + 1 when paging, to know whether a next page exists. */
  pageSize: number;
  /** Number of sort key columns returned as k0..kn (for the next $skiptoken). */
  sortKeys: number;
  /** Rows of the client's $top served before this page. */
  served: number;
  /** Rows the client still wants (from $top), if it asked. */
  remaining?: number;
}

export interface SelectInput {
  model: EdmModel;
  type: EdmEntityType;
  /** The bound query (bind/bindQuery). */
  query: BoundQuery;
  metadata: MetadataLevel;
  scopes: RowScope[];
  /** Server page size for this request. */
  pageSize: number;
  /** A single entity: no paging, no ordering. */
  single?: boolean;
  /** What the caller may read: applied to the set and every table the query reaches. */
  scope?: ReadScope;
  /** Properties whose SQL depends on the caller (e.g. permission flags). */
  callerProperties?: (type: EdmEntityType, alias: string, params: SqlParams) => Record<string, string>;
  /** Prefer: omit-values=nulls: leave null properties out of the JSON. */
  omitNulls?: boolean;
  /** Add a digest of the page's row versions to every row (the page's ETag). */
  pageDigest?: boolean;
}

/** The statement-wide context of a bound query: $it at alias e0, its $compute aliases written once. */
function statementContext(
  input: Pick<SelectInput, 'model' | 'scope' | 'callerProperties'>,
  bound: BoundQuery,
  metadata: MetadataLevel,
  params: SqlParams,
): SelectContext {
  const ctx: SelectContext = {
    model: input.model,
    params,
    aliases: new AliasGenerator(),
    ranges: new Map([[bound.root, ROOT]]),
    scope: input.scope,
    metadata,
    computed: new Map(),
  };
  const overrides = input.callerProperties?.(bound.type, ROOT, params);
  if (overrides) ctx.overrides = { range: bound.root, sql: overrides };
  for (const c of bound.compute) ctx.computed!.set(c.alias, translate(c.expr, ctx, true).sql);
  return ctx;
}

const ROOT = 'e0';

/**
 * ODataQuery -> one SQL statement, built with TypeORM's query builder. Order of application
 * as the standard writes it: $filter/$search, $orderby, $skip (or $skiptoken), $top.
 *
 *   SELECT CAST((SELECT row_to_json(x) FROM (SELECT ...) x) AS text) AS j, k0, k1, [count]
 *   FROM (SELECT e0.*, <sort keys> FROM table e0 WHERE ... ORDER BY ... LIMIT n OFFSET s) e0
 *   ORDER BY k0, k1
 *
 * The page is cut first and JSON is built only for its rows.
 */
export function buildSelect(
  dataSource: DataSource,
  input: SelectInput,
  params = new SqlParams(),
): SelectPlan {
  const query = input.query;
  const ctx = statementContext(input, query, input.metadata, params);
  const { aliases } = ctx;
  const root = ROOT;
  const type = input.type;

  const where: string[] = input.scopes.map((s) => s(root, params, aliases));
  const inScope = input.scope ? () => input.scope!(type, root, params, aliases) : undefined;
  const access = inScope?.();
  if (access) where.push(access);
  if (query.filter) where.push(...guardedConditions(query.filter, ctx, inScope));
  if (query.search)
    where.push(searchCondition(type, root, query.search, params, input.model, aliases, input.scope));
  const filterWhere = [...where];

  const keys: SortKey[] = [];
  if (!input.single) {
    for (const o of query.orderby) {
      const t = translate(o.expr, ctx, true);
      addSortKey(keys, {
        sql: guardedValue(o.expr, t.sql, inScope),
        pgType: PG_TYPE[t.type as EdmPrimitive],
        desc: o.desc,
        nullable: true,
      });
    }
    for (const k of type.keys)
      addSortKey(keys, {
        sql: `${root}.${ident(k.column)}`,
        pgType: PG_TYPE[k.type],
        desc: false,
        nullable: false,
      });
  }

  const page = pageOf(query, input.pageSize, !!input.single, keys.length);
  if (page.after)
    where.push(keysetCondition(keys, page.after, (v, t, i) => params.typed(v, t, { k: 'after', i })));
  const inner = dataSource.createQueryBuilder().select(`${root}.*`).from(type.table, root);
  keys.forEach((k, i) => inner.addSelect(k.sql, `__o${i}`));
  if (where.length) inner.where(where.join(' AND '));
  for (const k of keys)
    inner.addOrderBy(
      k.sql,
      k.desc ? 'DESC' : 'ASC',
      k.nullable ? (k.desc ? 'NULLS LAST' : 'NULLS FIRST') : undefined,
    );
  // One row more than the page tells whether a next page exists. The numbers are parameters: a
  // plan (plan/) serves every $top and page size with one statement.
  let innerSql = `${inner.getQuery()} LIMIT ${params.add(page.limit, { k: 'limit' })}`;
  if (page.hasOffset) innerSql += ` OFFSET ${params.add(page.offset, { k: 'offset' })}`;

  const shape = { range: query.root, select: query.select, expand: query.expand };
  const outer = dataSource
    .createQueryBuilder()
    .select(
      input.omitNulls
        ? `CAST(json_strip_nulls(CAST(${rowJsonSql(shape, root, ctx)} AS json)) AS text)`
        : `CAST(${rowJsonSql(shape, root, ctx)} AS text)`,
      'j',
    )
    .from(`(${innerSql})`, root);
  // Sort key values as text, for the next $skiptoken.
  keys.forEach((_, i) => outer.addSelect(`CAST(${root}.${ident('__o' + i)} AS text)`, `k${i}`));
  if (type.etagColumn) outer.addSelect(`CAST(${root}.${ident(type.etagColumn)} AS text)`, 'etag');
  if (input.pageDigest && type.etagColumn && !input.single) {
    // Order-independent: any change to a row on the page gives it a new, higher version.
    outer.addSelect(
      `CAST(count(*) OVER () AS text) || '-' || CAST(sum(CAST(${root}.${ident(type.etagColumn)} AS numeric)) OVER () AS text)`,
      'digest',
    );
  }
  if (query.count && !input.single) {
    // An uncorrelated subquery: PostgreSQL runs it once (InitPlan), still one statement.
    outer.addSelect(
      `(SELECT count(*) FROM ${ident(type.table)} ${root} ${filterWhere.length ? 'WHERE ' + filterWhere.join(' AND ') : ''})`,
      'count',
    );
  }
  // The outer order restates the inner one; PostgreSQL keeps the subquery's order anyway.
  keys.forEach((k, i) =>
    outer.addOrderBy(
      `${root}.${ident('__o' + i)}`,
      k.desc ? 'DESC' : 'ASC',
      k.desc ? 'NULLS LAST' : 'NULLS FIRST',
    ),
  );
  const { pageSize, served, remaining } = page;
  return { ...positional(outer, params), pageSize, sortKeys: keys.length, served, remaining };
}

/**
 * The paging of one request: rows asked (limit: the page and one more), the offset, the skiptoken's
 * sort values. Computed per request, also when the statement comes from a plan.
 */
export function pageOf(query: BoundQuery, pageSize: number, single: boolean, sortKeys: number) {
  let served = 0;
  let offset = query.skip ?? 0;
  let after: Array<string | null> | undefined;
  if (query.skiptoken && !single) {
    const token = decodeSkipToken(query.skiptoken, sortKeys);
    after = token.after;
    served = token.served;
    offset = 0;
  }
  const remaining = query.top !== undefined ? Math.max(query.top - served, 0) : undefined;
  const size = single ? 1 : Math.min(pageSize, remaining ?? Infinity);
  const hasOffset = query.skip !== undefined && !after;
  return { pageSize: size, limit: single ? 2 : size + 1, offset, hasOffset, served, remaining, after };
}

/** TypeORM's `:name` parameters as PostgreSQL's `$n`, with each one's value and source in that order. */
function positional(
  qb: { setParameters(p: Record<string, unknown>): unknown; getQueryAndParameters(): [string, unknown[]] },
  params: SqlParams,
) {
  // Each parameter's value is set to its own name: the order TypeORM numbers them in.
  qb.setParameters(Object.fromEntries(Object.keys(params.values).map((n) => [n, n])));
  const [sql, names] = qb.getQueryAndParameters() as [string, string[]];
  return {
    sql,
    parameters: names.map((n) => params.values[n]),
    sources: names.map((n) => params.sources[n]),
  };
}

/** `SELECT count(*)` for `/$count` (same filter, search and scopes, nothing else). */
export function buildCount(
  dataSource: DataSource,
  input: Omit<SelectInput, 'pageSize' | 'metadata'>,
  params = new SqlParams(),
): { sql: string; parameters: unknown[]; sources: ParamSource[] } {
  const bound = input.query;
  const ctx = statementContext({ ...input, callerProperties: undefined }, bound, 'none', params);
  const { aliases } = ctx;
  const where = input.scopes.map((s) => s(ROOT, params, aliases));
  const inScope = input.scope ? () => input.scope!(input.type, ROOT, params, aliases) : undefined;
  const access = inScope?.();
  if (access) where.push(access);
  if (bound.filter) where.push(...guardedConditions(bound.filter, ctx, inScope));
  if (bound.search)
    where.push(searchCondition(input.type, ROOT, bound.search, params, input.model, aliases, input.scope));
  const qb = dataSource.createQueryBuilder().select('count(*)', 'count').from(input.type.table, ROOT);
  if (where.length) qb.where(where.join(' AND '));
  return positional(qb, params);
}
