import type { EntityManager } from 'typeorm';
import type { EdmEntityType } from '../model/edm-model';
import { ident } from '../sql/sql-params';
import { runStatement, statementOf } from '../plan/execute';
import { validateBody } from './validate-body';

/**
 * Inserts entities given as OData JSON bodies (validated against the model), in one
 * statement, and returns their keys (by column) in the order given.
 * Used by POST and by operations such as BatchInsert, so both check bodies the same way.
 */
export async function insertEntities(
  manager: EntityManager,
  type: EdmEntityType,
  bodies: Array<Record<string, unknown>>,
  check?: (rows: Array<Record<string, unknown>>) => Promise<void>,
): Promise<Array<Record<string, unknown>>> {
  const rows = bodies.map((b, i) => {
    try {
      return validateBody(type, b, 'create');
    } catch (e: any) {
      if (bodies.length > 1 && e?.message) e.message = `Item ${i}: ${e.message}`;
      throw e;
    }
  });
  if (check) await check(rows);
  return insertRows(manager, type, rows);
}

/**
 * Inserts already-validated rows (values by column): one statement per set of columns (a batch
 * usually has one), the rows sent as one JSON parameter and read with jsonb_populate_recordset,
 * so the statement text does not grow with the rows and PostgreSQL parses one parameter, not one
 * per value. Columns a row leaves out take their DEFAULT. Keys come back in the order given.
 */
export async function insertRows(
  manager: EntityManager,
  type: EdmEntityType,
  rows: Array<Record<string, unknown>>,
  prepared = false,
): Promise<Array<Record<string, unknown>>> {
  const table = ident(type.table);
  const returning = type.keys.map((k) => ident(k.column)).join(', ');
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const columns = Object.keys(row).sort().join(',');
    const group = groups.get(columns);
    if (group) group.push(i);
    else groups.set(columns, [i]);
  });
  const keys: Array<Record<string, unknown>> = new Array(rows.length);
  for (const [signature, indexes] of groups) {
    const columns = signature ? Object.keys(rows[indexes[0]]).map(ident).join(', ') : '';
    if (!columns) {
      for (const i of indexes)
        [keys[i]] = await manager.query(`INSERT INTO ${table} DEFAULT VALUES RETURNING ${returning}`);
      continue;
    }
    const inserted = await runStatement<Record<string, unknown>>(
      manager,
      statementOf(
        `INSERT INTO ${table} (${columns}) SELECT ${columns}
       FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) RETURNING ${returning}`,
        [JSON.stringify(indexes.map((i) => rows[i]))],
      ),
      prepared,
    );
    indexes.forEach((i, j) => (keys[i] = inserted[j]));
  }
  return keys;
}
