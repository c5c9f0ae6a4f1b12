import type { EntityManager } from 'typeorm';
import type { ReadScope } from '../access/access-policy';
import type { EdmEntityType, EdmProperty } from '../model/edm-model';
import type { RowScope } from './build-select';
import { keyScope, keysScope, readScopedWhere } from './row-scopes';
import { SqlParams, ident } from './sql-params';
import { runStatement, statementOf } from '../plan/execute';

/**
 * Statements on single rows that are not OData reads (those go through buildSelect): the rows a
 * write locks, changes and removes, a property's bare value, and the visibility checks of
 * operations. Every WHERE is the read-scoped one of row-scopes.ts.
 */
type Row = Record<string, unknown>;

/**
 * The row(s) `scopes` address that the caller can see, as stored (columns by name), with the
 * ETag column as text in `__etag`; `lock`: FOR UPDATE, for a write that follows.
 */
export async function selectVisibleRows(
  manager: EntityManager,
  type: EdmEntityType,
  scopes: RowScope[],
  access: ReadScope | undefined,
  opts: { lock?: boolean; prepared?: boolean } = {},
): Promise<Row[]> {
  const params = new SqlParams();
  const where = readScopedWhere(type, 'e0', scopes, access, params);
  const etag = type.etagColumn ? `, CAST(e0.${ident(type.etagColumn)} AS text) AS "__etag"` : '';
  const sql = `SELECT e0.*${etag} FROM ${ident(type.table)} e0 WHERE ${where}${opts.lock ? ' FOR UPDATE' : ''}`;
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params.values, {});
  return runStatement<Row>(manager, statementOf(text, values), opts.prepared ?? false);
}

/** Whether a row with this key exists at all, visible to the caller or not (upserts must not duplicate it). */
export async function rowExists(
  manager: EntityManager,
  type: EdmEntityType,
  key: Record<string, unknown>,
): Promise<boolean> {
  return (await selectVisibleRows(manager, type, [keyScope(type, key)], undefined)).length > 0;
}

/**
 * UPDATE <table> SET <values> WHERE <key>; values by column (a function is SQL, e.g. DEFAULT).
 * Returns the row's new ETag value (as text), when the type has one.
 */
export async function updateRow(
  manager: EntityManager,
  type: EdmEntityType,
  key: Record<string, unknown>,
  values: Record<string, unknown>,
): Promise<string | undefined> {
  const params = new SqlParams();
  const qb = manager
    .createQueryBuilder()
    .update(type.table)
    .set(values)
    .where(readScopedWhere(type, ident(type.table), [keyScope(type, key)], undefined, params))
    .setParameters(params.values);
  if (type.etagColumn) qb.returning(`CAST(${ident(type.etagColumn)} AS text) AS "__etag"`);
  const result = await qb.execute();
  const rows = (Array.isArray(result.raw) ? result.raw : []) as Array<{ __etag?: string }>;
  return rows[0]?.__etag;
}

/** DELETE FROM <table> WHERE <key>. */
export async function deleteRow(
  manager: EntityManager,
  type: EdmEntityType,
  key: Record<string, unknown>,
): Promise<void> {
  const params = new SqlParams();
  await manager
    .createQueryBuilder()
    .delete()
    .from(type.table)
    .where(readScopedWhere(type, ident(type.table), [keyScope(type, key)], undefined, params))
    .setParameters(params.values)
    .execute();
}

/**
 * `Task(<key>)/Name`: the property's value in the visible row, or `undefined` when there is no
 * such row. DateTimeOffset values come as PostgreSQL's JSON text (ISO 8601), as in entity reads.
 */
export async function selectPropertyValue(
  manager: EntityManager,
  type: EdmEntityType,
  scopes: RowScope[],
  access: ReadScope | undefined,
  property: EdmProperty,
): Promise<{ value: unknown } | undefined> {
  const params = new SqlParams();
  const column = `e0.${ident(property.column)}`;
  const json = property.type === 'Edm.DateTimeOffset';
  const rows = await manager
    .createQueryBuilder()
    .select(json ? `to_json(${column})` : column, 'v')
    .from(type.table, 'e0')
    .where(readScopedWhere(type, 'e0', scopes, access, params))
    .setParameters(params.values)
    .getRawMany();
  if (rows.length === 0) return undefined;
  let value = rows[0].v;
  if (typeof value === 'string' && json) value = JSON.parse(`"${value.replace(/^"|"$/g, '')}"`);
  return { value };
}

/** How many of the rows with these (single-column) keys the caller can see. */
export async function countVisible(
  manager: EntityManager,
  type: EdmEntityType,
  ids: unknown[],
  access: ReadScope | undefined,
): Promise<number> {
  const params = new SqlParams();
  const [{ n }] = await manager
    .createQueryBuilder()
    .select('count(*)::int', 'n')
    .from(type.table, 'e0')
    .where(readScopedWhere(type, 'e0', [keysScope(type, ids)], access, params))
    .setParameters(params.values)
    .getRawMany();
  return Number(n);
}
