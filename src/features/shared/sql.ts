import type { EntityManager } from 'typeorm';

/**
 * Runs SQL in the caller's transaction and returns its rows. TypeORM answers UPDATE and
 * DELETE with [rows, rowCount]; this evens that out so RETURNING reads the same everywhere.
 */
export async function rows<T = any>(m: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const r = await m.query(sql, params);
  if (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number') return r[0];
  return r;
}
