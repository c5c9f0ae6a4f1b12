import type { DataSource } from 'typeorm';
import type { EdmEntityType, EdmModel, EdmPrimitive } from '../model/edm-model';
import type { ODataQuery } from '../query/odata-query';
import type { BoundQuery } from '../bind/bound-query';
import { bindQuery } from '../bind/bind-query';
import { AliasGenerator, translate } from './filter-to-sql';
import { SortKey, addSortKey, decodeSkipToken, keysetCondition } from './paging';
import { PG_TYPE } from './pg-types';
import { MetadataLevel, SelectContext, rowJsonSql } from './select-list';
import { searchCondition } from './search-to-sql';
import type { ReadScope } from '../access/access-policy';
import { SqlParams, ident } from './sql-params';
import { guardedConditions, guardedValue } from './scope-guard';

/** Restricts the rows of a set, e.g. to the targets of a navigation from one parent entity. */
export type RowScope = (alias: string, params: SqlParams, aliases: AliasGenerator) => string;

export interface SelectPlan {
  sql: string;
  parameters: unknown[];
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
  query: ODataQuery;
  metadata: MetadataLevel;
  scopes: RowScope[];
  /** Server page size for this request. */
  pageSize: number;
  /** A single entity: no paging, no ordering. */
  single?: boolean;
  limits: { maxTop: number; maxExpandDepth: number; maxInList: number; maxFilterNodes: number };
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
): SelectContext {
  const params = new SqlParams();
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
export function buildSelect(dataSource: DataSource, input: SelectInput): SelectPlan {
  // REVISIT: http/ should call bindQuery itself and hand the bound query over.
  const bound = bindQuery({ model: input.model, type: input.type, query: input.query, limits: input.limits });
  return selectSql(dataSource, input, bound);
}

export function selectSql(
  dataSource: DataSource,
  input: Omit<SelectInput, 'query'>,
  query: BoundQuery,
): SelectPlan {
  const ctx = statementContext(input, query, input.metadata);
  const { params, aliases } = ctx;
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

  let served = 0;
  let offset = query.skip ?? 0;
  if (query.skiptoken && !input.single) {
    const token = decodeSkipToken(query.skiptoken, keys.length);
    where.push(keysetCondition(keys, token.after, (v, t) => params.typed(v, t)));
    served = token.served;
    offset = 0;
  }
  const remaining = query.top !== undefined ? Math.max(query.top - served, 0) : undefined;
  const pageSize = input.single ? 1 : Math.min(input.pageSize, remaining ?? Infinity);

  const shape = { range: query.root, select: query.select, expand: query.expand };
  const outer = dataSource
    .createQueryBuilder()
    .select(
      input.omitNulls
        ? `CAST(json_strip_nulls(CAST(${rowJsonSql(shape, root, ctx)} AS json)) AS text)`
        : `CAST(${rowJsonSql(shape, root, ctx)} AS text)`,
      'j',
    )
    .from((inner) => {
      inner.select(`${root}.*`).from(type.table, root);
      keys.forEach((k, i) => inner.addSelect(k.sql, `__o${i}`));
      if (where.length) inner.where(where.join(' AND '));
      for (const k of keys)
        inner.addOrderBy(
          k.sql,
          k.desc ? 'DESC' : 'ASC',
          k.nullable ? (k.desc ? 'NULLS LAST' : 'NULLS FIRST') : undefined,
        );
      // one row more than the page: tells whether a next page exists
      inner.limit(input.single ? 2 : pageSize + 1);
      if (offset) inner.offset(offset);
      return inner;
    }, root);
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
  outer.setParameters(params.values);
  const [sql, parameters] = outer.getQueryAndParameters();
  return { sql, parameters, pageSize, sortKeys: keys.length, served, remaining };
}

/** `SELECT count(*)` for `/$count` (same filter, search and scopes, nothing else). */
export function buildCount(
  dataSource: DataSource,
  input: Omit<SelectInput, 'pageSize' | 'metadata'>,
): { sql: string; parameters: unknown[] } {
  const bound = bindQuery({ model: input.model, type: input.type, query: input.query, limits: input.limits });
  const ctx = statementContext({ ...input, callerProperties: undefined }, bound, 'none');
  const { params, aliases } = ctx;
  const where = input.scopes.map((s) => s(ROOT, params, aliases));
  const inScope = input.scope ? () => input.scope!(input.type, ROOT, params, aliases) : undefined;
  const access = inScope?.();
  if (access) where.push(access);
  if (bound.filter) where.push(...guardedConditions(bound.filter, ctx, inScope));
  if (bound.search)
    where.push(searchCondition(input.type, ROOT, bound.search, params, input.model, aliases, input.scope));
  const qb = dataSource.createQueryBuilder().select('count(*)', 'count').from(input.type.table, ROOT);
  if (where.length) qb.where(where.join(' AND '));
  qb.setParameters(params.values);
  const [sql, parameters] = qb.getQueryAndParameters();
  return { sql, parameters };
}
