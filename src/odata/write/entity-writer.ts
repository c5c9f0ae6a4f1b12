import type { EntityManager } from 'typeorm';
import type { EdmEntityType } from '../model/edm-model';
import { ident } from '../sql/sql-params';
import { validateBody } from './validate-body';

/**
 * Inserts entities given as OData JSON bodies (validated against the model), in one
 * statement per 1,000 rows, and returns their keys (by column) in the order given.
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

/** Inserts already-validated rows (values by column). */
export async function insertRows(
  manager: EntityManager,
  type: EdmEntityType,
  rows: Array<Record<string, unknown>>,
): Promise<Array<Record<string, unknown>>> {
  const keys: Array<Record<string, unknown>> = [];
  // PostgreSQL allows 65,535 bind parameters per statement: insert in chunks.
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const columns = [...new Set(chunk.flatMap((r) => Object.keys(r)))];
    const values = chunk.map((r) =>
      Object.fromEntries(columns.map((c) => [c, c in r ? r[c] : () => 'DEFAULT'])),
    );
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(type.table, columns)
      .values(values)
      .returning(type.keys.map((k) => ident(k.column)).join(', '))
      .execute();
    keys.push(...result.raw);
  }
  return keys;
}
