import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Statement } from './planner';

/** node-postgres' client, as much of it as a planned read uses. */
export interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  connection?: {
    stream?: { cork?(): void; uncork?(): void };
    /** Names of the statements prepared on this connection (node-postgres' own record). */
    parsedStatements?: Record<string, string>;
  };
}

/**
 * How many named statements one connection keeps. Each costs PostgreSQL memory in that backend
 * (its parse tree and cached plans, tens of kB for a row_to_json read), and query shapes are
 * the client's to choose: without a bound, a client sending ever new shapes grows every pooled
 * backend without end. The plan cache forgets old shapes; connections do not, hence this.
 */
export const MAX_PREPARED_PER_CONNECTION = 200;

/**
 * Before a named statement the connection has not prepared: if it already holds the maximum,
 * drop them all (DEALLOCATE ALL) and let the shapes in use be prepared again as they come.
 */
export async function makeRoomFor(client: PgClient, name: string): Promise<void> {
  const connection = client.connection;
  const parsed = connection?.parsedStatements;
  if (!connection || !parsed || parsed[name] !== undefined) return;
  if (Object.keys(parsed).length < MAX_PREPARED_PER_CONNECTION) return;
  await client.query({ text: 'DEALLOCATE ALL', values: [] });
  connection.parsedStatements = {};
}

/**
 * Runs `submit` with the connection's socket corked. node-postgres writes each protocol message
 * of a query (Bind, Describe, Execute, Sync; Parse the first time) with its own socket write,
 * i.e. its own system call; corked, the messages written synchronously leave in one. Measured
 * on the single-task read: about a third of the service's Node CPU went to those writes.
 */
export function corked<T>(client: PgClient | undefined, submit: () => T): T {
  const stream = client?.connection?.stream;
  stream?.cork?.();
  try {
    return submit();
  } finally {
    stream?.uncork?.();
  }
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
  return runOn<R>(client, st, prepared);
}

/** Runs a planned statement on a pg client (see runStatement). */
export async function runOn<R>(client: PgClient, st: Statement, named: boolean): Promise<R[]> {
  // A statement without a name is planned per request (plan/planner.ts needsCustomPlan).
  const prepared = named && st.name !== '';
  if (prepared) await makeRoomFor(client, st.name);
  const config = prepared
    ? { name: st.name, text: st.sql, values: st.parameters }
    : { text: st.sql, values: st.parameters };
  return (await corked(client, () => client.query(config))).rows as R[];
}

/**
 * A statement written outside the planner (a write's reference probe, its INSERT), named by a
 * hash of its text: the same text is parsed and planned once per connection, like a read's plan.
 */
export function statementOf(sql: string, parameters: unknown[]): Statement {
  return { name: `w_${createHash('sha1').update(sql).digest('base64url').slice(0, 24)}`, sql, parameters };
}
