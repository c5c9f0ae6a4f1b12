import type { EntityManager } from 'typeorm';
import type { Statement } from './planner';

/** node-postgres' client, as much of it as a planned read uses. */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a planned statement on the manager's connection through node-postgres directly (not
 * TypeORM's query wrapper). Named (`prepared`), PostgreSQL parses and plans it once per
 * connection; unnamed for poolers that cannot keep prepared statements (PgBouncer in
 * transaction mode before 1.21: DB_PREPARED_STATEMENTS=false).
 */
export async function runStatement<R>(
  manager: EntityManager,
  st: Statement,
  prepared: boolean,
): Promise<R[]> {
  const runner = manager.queryRunner;
  if (!runner) return manager.query(st.sql, st.parameters);
  const client = (await runner.connect()) as PgClient;
  const config = prepared
    ? { name: st.name, text: st.sql, values: st.parameters }
    : { text: st.sql, values: st.parameters };
  return (await client.query(config)).rows as R[];
}
