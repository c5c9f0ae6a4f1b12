import type { EdmEntityType } from '../model/edm-model';
import type { BoundExpand, BoundSelect, RangeVariable } from '../bind/bound-query';
import { TranslateContext, navigationJoin, scopeAnd, translate } from './filter-to-sql';
import { ident } from './sql-params';
import { guardedConditions } from './scope-guard';
import { propertyTypeAnnotation } from '../serialize/json-format';

export type MetadataLevel = 'minimal' | 'full' | 'none';

export interface SelectContext extends TranslateContext {
  metadata: MetadataLevel;
}

/** What one row returns: its selected properties and expanded navigations. */
export interface RowShape {
  range: RangeVariable;
  select: BoundSelect;
  expand: BoundExpand[];
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
export function rowColumns(shape: RowShape, alias: string, ctx: SelectContext): string[] {
  const type = shape.range.entity!;
  const { select, expand } = shape;
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
  // $compute properties come only when $select names them.
  const properties = select.properties.filter((p) => !p.queryComputed || select.names.includes(p.name));
  for (const p of properties) {
    // JSON Format §4.5.3: with full metadata, types a client cannot guess precede the value.
    const odataType = full ? propertyTypeAnnotation(p) : undefined;
    if (odataType) cols.push(`${quoteText(odataType)} AS ${ident(`${p.name}@odata.type`)}`);
    const override = ctx.overrides?.range === shape.range ? ctx.overrides.sql[p.name] : undefined;
    const sql = p.queryComputed
      ? ctx.computed!.get(p.name)!
      : (override ?? p.expression ?? `${alias}.${ident(p.column)}`);
    cols.push(`${sql} AS ${ident(p.name)}`);
  }
  if (full) {
    // §4.5.8: a navigation link per navigation property (those selected, when $select is given).
    for (const nav of type.navigation.keys()) {
      if (!select.all && !select.names.includes(nav) && !expand.some((e) => e.step.nav.name === nav))
        continue;
      cols.push(
        `(${entityIdSql(type, alias)} || ${quoteText('/' + nav)}) AS ${ident(`${nav}@odata.navigationLink`)}`,
      );
    }
  }
  for (const item of expand) cols.push(...expandColumns(alias, item, ctx));
  return cols;
}

function expandColumns(alias: string, item: BoundExpand, ctx: SelectContext): string[] {
  const { nav, target } = item.step;
  const e = ctx.aliases.next('e');
  ctx.ranges.set(item.range, e);
  const where = [navigationJoin(nav, alias, e, ctx.aliases) + scopeAnd(ctx, target, e)];
  const inScope = ctx.scope ? () => ctx.scope!(target, e, ctx.params, ctx.aliases) : undefined;
  if (item.filter) where.push(...guardedConditions(item.filter, ctx, inScope));

  const inner = item.ref ? [`${entityIdSql(target, e)} AS "@odata.id"`] : rowColumns(item, e, ctx);
  const from = `FROM ${ident(target.table)} ${e} WHERE ${where.join(' AND ')}`;
  const name = ident(nav.name);

  if (!nav.collection) {
    return [`(SELECT row_to_json(x) FROM (SELECT ${inner.join(', ')} ${from} LIMIT 1) x) AS ${name}`];
  }
  const order = [
    ...item.orderby.map(
      (o) => `${translate(o.expr, ctx, true).sql} ${o.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`,
    ),
    ...target.keys.map((k) => `${e}.${ident(k.column)}`),
  ];
  const { params } = ctx;
  // Present or not is the query's shape; the numbers are parameters (plan/ reuses the SQL).
  const limit =
    item.top !== undefined ? ` LIMIT ${params.typed(item.top, 'bigint', params.holes?.at(item, 'top'))}` : '';
  const offset =
    item.skip !== undefined
      ? ` OFFSET ${params.typed(item.skip, 'bigint', params.holes?.at(item, 'skip'))}`
      : '';
  const cols = [
    `(SELECT COALESCE(json_agg(row_to_json(x)), '[]') FROM (SELECT ${inner.join(', ')} ${from} ORDER BY ${order.join(', ')}${limit}${offset}) x) AS ${name}`,
  ];
  if (item.count) {
    cols.unshift(`(SELECT count(*) ${from}) AS ${ident(nav.name + '@odata.count')}`);
  }
  return cols;
}

/** `(SELECT row_to_json(x) FROM (SELECT ...) x)`: one entity as JSON, built by PostgreSQL. */
export function rowJsonSql(shape: RowShape, alias: string, ctx: SelectContext): string {
  const type = shape.range.entity!;
  const row = `(SELECT row_to_json(x) FROM (SELECT ${rowColumns(shape, alias, ctx).join(', ')}) x)`;
  if (!type.openType || !type.dynamicColumn) return row;
  // Dynamic properties follow the declared ones. Joined as text: jsonb would reorder the keys
  // and put annotations after properties.
  const dynamic = dynamicPropertiesJsonSql(
    type,
    alias,
    shape.select.all ? undefined : shape.select.names,
    ctx,
  );
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
