import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel, EdmProperty } from '../model/edm-model';
import type { ExpandItem, QueryOptions } from '../query/odata-query';
import { AliasGenerator, TranslateContext, navigationJoin, scopeAnd, translate } from './filter-to-sql';
import type { ReadScope } from '../access/access-policy';
import { SqlParams, ident } from './sql-params';
import { guardedConditions } from './scope-guard';
import { propertyTypeAnnotation } from '../serialize/json-format';

export type MetadataLevel = 'minimal' | 'full' | 'none';

export interface SelectContext {
  model: EdmModel;
  params: SqlParams;
  aliases: AliasGenerator;
  metadata: MetadataLevel;
  maxExpandDepth: number;
  maxInList?: number;
  scope?: ReadScope;
}

function quoteText(s: string): string {
  // Only for names that come from the model: never client text.
  return `'${s.replace(/'/g, "''")}'`;
}

/** SQL producing the entity-id text `Task(<key>)` of a row. */
export function entityIdSql(type: EdmEntityType, alias: string): string {
  if (type.keys.length === 1)
    return `(${quoteText(type.setName + '(')} || ${alias}.${ident(type.keys[0].column)} || ')')`;
  const parts = type.keys
    .map((k) => `${quoteText(k.name + '=')} || ${alias}.${ident(k.column)}`)
    .join(` || ',' || `);
  return `(${quoteText(type.setName + '(')} || ${parts} || ')')`;
}

/**
 * The column list of one entity row as SQL, for `row_to_json` to turn into the OData JSON
 * object: annotations first, then the selected properties, then expanded navigations as
 * nested json subqueries (no query per row).
 */
export function rowColumns(
  type: EdmEntityType,
  alias: string,
  options: QueryOptions,
  ctx: SelectContext,
  depth: number,
): string[] {
  const cols: string[] = [];
  if (ctx.metadata === 'full') {
    cols.push(`${quoteText('#' + ctx.model.namespace + '.' + type.name)} AS "@odata.type"`);
    cols.push(`${entityIdSql(type, alias)} AS "@odata.id"`);
  }
  if (ctx.metadata !== 'none' && type.etagColumn) {
    cols.push(`('W/"' || ${alias}.${ident(type.etagColumn)} || '"') AS "@odata.etag"`);
  }
  if (ctx.metadata === 'full') cols.push(`${entityIdSql(type, alias)} AS "@odata.editLink"`);

  const full = ctx.metadata === 'full';
  for (const p of selectedProperties(type, options.select)) {
    // JSON Format §4.5.3: with full metadata, types a client cannot guess precede the value.
    const odataType = full ? propertyTypeAnnotation(p) : undefined;
    if (odataType) cols.push(`${quoteText(odataType)} AS ${ident(`${p.name}@odata.type`)}`);
    cols.push(`${p.expression ?? `${alias}.${ident(p.column)}`} AS ${ident(p.name)}`);
  }
  const expanded = expandItems(type, options.expand);
  if (full) {
    // §4.5.8: a navigation link per navigation property (those selected, when $select is given).
    const all = !options.select || options.select.includes('*');
    for (const nav of type.navigation.keys()) {
      if (!all && !options.select!.includes(nav) && !expanded.some((e) => e.path[0] === nav)) continue;
      cols.push(
        `(${entityIdSql(type, alias)} || ${quoteText('/' + nav)}) AS ${ident(`${nav}@odata.navigationLink`)}`,
      );
    }
  }
  for (const item of expanded) {
    cols.push(...expandColumns(type, alias, item, ctx, depth + 1));
  }
  return cols;
}

/** The selected structural properties (keys always included; $compute ones only when selected). */
function selectedProperties(type: EdmEntityType, select: string[] | undefined): EdmProperty[] {
  // Dynamic properties come with the open type's jsonb column (rowJsonSql), not as columns.
  if (!select || select.includes('*'))
    return type.properties.filter((p) => !p.dynamic && (!p.queryComputed || select?.includes(p.name)));
  const names = new Set<string>(type.keys.map((k) => k.name));
  for (const s of select) {
    if (s.includes('/')) throw ODataError.notImplemented(`Selecting paths ('${s}') is not supported`);
    if (s.endsWith('.*')) continue; // all operations: nothing to select
    if (type.property.has(s)) names.add(s);
    else if (type.navigation.has(s))
      continue; // a navigation in $select only affects links
    else if (!(type.openType && type.dynamicColumn && s.startsWith(type.dynamicPrefix))) {
      throw ODataError.badRequest(
        `Property '${s}' in $select does not exist on ${type.name}`,
        '$select',
        ErrorCode.UnknownProperty,
      );
    }
  }
  return type.properties.filter((p) => names.has(p.name) && !p.dynamic);
}

function expandItems(type: EdmEntityType, expand: ExpandItem[]): ExpandItem[] {
  const out: ExpandItem[] = [];
  for (const item of expand) {
    if (item.path.length === 1 && item.path[0] === '*') {
      for (const nav of type.navigation.keys()) out.push({ ...item, path: [nav] });
      continue;
    }
    if (item.path.length !== 1)
      throw ODataError.notImplemented(
        `Expanding paths through complex properties ('${item.path.join('/')}') is not supported`,
      );
    if (!type.navigation.has(item.path[0])) {
      throw ODataError.badRequest(
        `Navigation property '${item.path[0]}' in $expand does not exist on ${type.name}`,
        '$expand',
        ErrorCode.UnknownProperty,
      );
    }
    out.push(item);
  }
  return out;
}

function expandColumns(
  type: EdmEntityType,
  alias: string,
  item: ExpandItem,
  ctx: SelectContext,
  depth: number,
): string[] {
  if (depth > ctx.maxExpandDepth) {
    throw new ODataError(
      400,
      ErrorCode.LimitExceeded,
      `$expand is nested ${depth} levels deep; at most ${ctx.maxExpandDepth} are allowed`,
      '$expand',
    );
  }
  if (item.options.levels !== undefined && item.options.levels !== 1) {
    throw ODataError.notImplemented('$levels other than 1 is not supported');
  }
  const nav = type.navigation.get(item.path[0])!;
  const target = ctx.model.types.get(nav.target)!;
  const e = ctx.aliases.next('e');
  const tctx: TranslateContext = {
    model: ctx.model,
    params: ctx.params,
    aliases: ctx.aliases,
    root: { kind: 'entity', type: target, alias: e },
    maxInList: ctx.maxInList,
    scope: ctx.scope,
  };
  const where = [navigationJoin(nav, alias, e, ctx.aliases) + scopeAnd(tctx, target, e)];
  const inScope = ctx.scope ? () => ctx.scope!(target, e, ctx.params, ctx.aliases) : undefined;
  if (item.options.filter) where.push(...guardedConditions(item.options.filter, tctx, inScope));
  if (item.options.search) throw ODataError.notImplemented('$search inside $expand is not supported');

  const inner = item.ref
    ? [`${entityIdSql(target, e)} AS "@odata.id"`]
    : rowColumns(target, e, item.options, ctx, depth);
  const from = `FROM ${ident(target.table)} ${e} WHERE ${where.join(' AND ')}`;
  const name = ident(nav.name);

  if (!nav.collection) {
    return [`(SELECT row_to_json(x) FROM (SELECT ${inner.join(', ')} ${from} LIMIT 1) x) AS ${name}`];
  }
  const order = [
    ...item.options.orderby.map(
      (o) => `${translate(o.expr, tctx).sql} ${o.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`,
    ),
    ...target.keys.map((k) => `${e}.${ident(k.column)}`),
  ];
  const limit =
    item.options.top !== undefined ? ` LIMIT ${ctx.params.typed(item.options.top, 'bigint')}` : '';
  const offset = item.options.skip ? ` OFFSET ${ctx.params.typed(item.options.skip, 'bigint')}` : '';
  const cols = [
    `(SELECT COALESCE(json_agg(row_to_json(x)), '[]') FROM (SELECT ${inner.join(', ')} ${from} ORDER BY ${order.join(', ')}${limit}${offset}) x) AS ${name}`,
  ];
  if (item.options.count) {
    cols.unshift(`(SELECT count(*) ${from}) AS ${ident(nav.name + '@odata.count')}`);
  }
  return cols;
}

/** `(SELECT row_to_json(x) FROM (SELECT ...) x)`: one entity as JSON, built by PostgreSQL. */
export function rowJsonSql(
  type: EdmEntityType,
  alias: string,
  options: QueryOptions,
  ctx: SelectContext,
): string {
  const row = `(SELECT row_to_json(x) FROM (SELECT ${rowColumns(type, alias, options, ctx, 0).join(', ')}) x)`;
  if (!type.openType || !type.dynamicColumn) return row;
  // Dynamic properties follow the declared ones. Joined as text: jsonb would reorder the keys
  // and put annotations after properties.
  const dynamic = dynamicPropertiesJsonSql(type, alias, options.select, ctx);
  return (
    `(SELECT CAST(CASE WHEN d IS NULL THEN r ELSE left(r, -1) || ',' || substr(d, 2) END AS json) ` +
    `FROM (SELECT CAST(${row} AS text) AS r, CAST(${dynamic} AS text) AS d) y)`
  );
}

/**
 * An open type's dynamic properties as one JSON object (NULL when there are none). A declared
 * one ($metadata lists it) is always there, null included, typed by its declaration; other keys
 * of the jsonb column follow when no $select leaves them out. Built with json_object_agg: its
 * keys have no identifier length limit and it takes any number of properties.
 */
function dynamicPropertiesJsonSql(
  type: EdmEntityType,
  alias: string,
  select: string[] | undefined,
  ctx: SelectContext,
): string {
  const all = !select || select.includes('*');
  const declared = type.properties.filter((p) => p.dynamic);
  const rows: string[] = [];
  declared
    .filter((p) => all || select!.includes(p.name))
    .forEach((p, i) => {
      const odataType = ctx.metadata === 'full' ? propertyTypeAnnotation(p) : undefined;
      if (odataType) {
        rows.push(
          `SELECT ${quoteText(p.name + '@odata.type')}, to_json(CAST(${quoteText(odataType)} AS text)), ${2 * i}`,
        );
      }
      rows.push(`SELECT ${quoteText(p.name)}, to_json(${p.expression}), ${2 * i + 1}`);
    });
  const prefix = quoteText(type.dynamicPrefix);
  const declaredKeys = ctx.params.typed(
    declared.map((p) => p.name.slice(type.dynamicPrefix.length)),
    'text[]',
  );
  const wanted = all ? '' : ` AND ${prefix} || f.key = ANY(${ctx.params.typed(select!, 'text[]')})`;
  const column = `${alias}.${ident(type.dynamicColumn!)}`;
  rows.push(
    `SELECT ${prefix} || f.key, CAST(f.value AS json), ${2 * declared.length} FROM jsonb_each(${column}) f ` +
      `WHERE f.key <> ALL(${declaredKeys})${wanted}`,
  );
  return `(SELECT json_object_agg(d.k, d.v ORDER BY d.n, d.k) FROM (${rows.join(' UNION ALL ')}) AS d(k, v, n))`;
}
