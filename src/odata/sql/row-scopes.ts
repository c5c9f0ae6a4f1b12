import type { ReadScope } from '../access/access-policy';
import type { EdmEntityType, EdmNavigation } from '../model/edm-model';
import type { RowScope } from './build-select';
import { AliasGenerator, navigationJoin } from './filter-to-sql';
import { PG_TYPE } from './pg-types';
import { SqlParams, ident } from './sql-params';

/** `Task(<key>)`: the row with this key (values by column). */
export function keyScope(type: EdmEntityType, key: Record<string, unknown>): RowScope {
  return (alias, params) =>
    type.keys
      .map((k) => `${alias}.${ident(k.column)} = ${params.typed(key[k.column], PG_TYPE[k.type])}`)
      .join(' AND ');
}

/** Rows whose (single-column) key is one of `ids`: `e0."TaskItemId" = ANY(CAST(:p0 AS uuid[]))`. */
export function keysScope(type: EdmEntityType, ids: unknown[]): RowScope {
  const k = type.keys[0];
  return (alias, params) => `${alias}.${ident(k.column)} = ANY(${params.typed(ids, PG_TYPE[k.type] + '[]')})`;
}

/**
 * `Task(<key>)/Notes`: rows of `nav`'s target that belong to the parent entity, which the caller
 * must be able to see:
 *   EXISTS (SELECT 1 FROM task p1 WHERE <parent scopes> AND <parent read scope> AND <join p1 -> alias>)
 */
export function navigationScope(
  parent: { type: EdmEntityType; scopes: RowScope[] },
  nav: EdmNavigation,
  access?: ReadScope,
): RowScope {
  return (alias, params, aliases) => {
    const p = aliases.next('p');
    const parentWhere = readScopedWhere(parent.type, p, parent.scopes, access, params, aliases);
    return `EXISTS (SELECT 1 FROM ${ident(parent.type.table)} ${p} WHERE ${parentWhere} AND ${navigationJoin(nav, p, alias, aliases)})`;
  };
}

/**
 * The one read-scoped WHERE: the row scopes of what the URL addresses (key, navigation) and the
 * caller's read scope, ANDed; `TRUE` when there are none.
 */
export function readScopedWhere(
  type: EdmEntityType,
  alias: string,
  scopes: RowScope[],
  access: ReadScope | undefined,
  params: SqlParams,
  aliases: AliasGenerator = new AliasGenerator(),
): string {
  const where = scopes.map((s) => s(alias, params, aliases));
  const visible = access?.(type, alias, params, aliases);
  if (visible) where.push(visible);
  return where.length ? where.join(' AND ') : 'TRUE';
}
