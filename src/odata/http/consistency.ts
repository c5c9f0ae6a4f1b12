import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { ODataRequest } from './odata-request';

/**
 * Reads that see your writes. Every successful write answers with the WAL position of the
 * primary after its commit in this header; a read that sends it back is served by a replica
 * only if that replica has replayed past it, by the primary otherwise.
 */
export const CONSISTENCY_HEADER = 'X-Consistency-Token';

/** PostgreSQL WAL positions, e.g. 16/B374D848. */
const TOKEN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** The token a request carries; one that is not a WAL position is ignored (the read is then eventual). */
export function consistencyTokenOf(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const value = headers[CONSISTENCY_HEADER.toLowerCase()];
  const token = Array.isArray(value) ? value[value.length - 1] : value;
  return token && TOKEN.test(token.trim()) ? token.trim() : undefined;
}

/** Requests that may have written something: every method but GET and HEAD, when it succeeded. */
export function mayHaveWritten(method: string, status: number): boolean {
  return method !== 'GET' && method !== 'HEAD' && status < 400;
}

/** The primary's WAL position now: past the commit of every write that has answered. */
export async function currentToken(dataSource: DataSource): Promise<string | undefined> {
  try {
    const [{ lsn }] = await dataSource.query('SELECT pg_current_wal_lsn()::text AS lsn');
    return lsn;
  } catch {
    return undefined; // the write has committed; a missing token only makes the next read eventual
  }
}

/** node-postgres' client, as far as the combined commit needs it. */
interface SimpleQueryClient {
  query(text: string): Promise<unknown>;
}

/**
 * Runs `fn` in a transaction whose COMMIT also reads the WAL position after it, in one round trip
 * (`COMMIT; SELECT pg_current_wal_lsn()`: one simple-protocol message, two statements), instead of
 * a second query on another pooled connection once the write has answered. TypeORM's commit is
 * kept (its state, its rollback on failure); only the text it sends for COMMIT on this
 * transaction's runner is replaced. A failed COMMIT fails before the SELECT runs.
 */
export async function transactionWithToken<T>(
  dataSource: DataSource,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<{ value: T; token?: string }> {
  let token: string | undefined;
  const value = await dataSource.transaction(async (manager) => {
    const runner = manager.queryRunner as QueryRunner & { databaseConnection?: SimpleQueryClient };
    const query = runner.query.bind(runner);
    runner.query = (async (text: string, ...rest: unknown[]) => {
      if (text !== 'COMMIT' || !runner.databaseConnection) return (query as Function)(text, ...rest);
      const results = (await runner.databaseConnection.query(
        'COMMIT; SELECT pg_current_wal_lsn()::text AS lsn',
      )) as Array<{ rows?: Array<{ lsn?: string }> }>;
      token = results[1]?.rows?.[0]?.lsn;
    }) as QueryRunner['query'];
    return fn(manager);
  });
  return { value, token };
}

/** Where reads outside transactions run (database/read-routing.ts when replicas are configured). */
export interface ReadRoute {
  run<T>(
    token: string | undefined,
    fn: (runner: QueryRunner) => Promise<T>,
    keep?: (value: T) => boolean,
  ): Promise<T>;
}

/**
 * Runs a read outside a transaction on a connection chosen by the route (the primary without
 * one). With `keep` the caller keeps the connection (a streaming cursor) and releases it itself.
 */
export async function readOn<T>(
  dataSource: DataSource,
  route: ReadRoute | undefined,
  req: ODataRequest,
  fn: (runner: QueryRunner) => Promise<T>,
  keep = false,
): Promise<T> {
  if (route) return route.run(consistencyTokenOf(req.headers), fn, () => keep);
  const runner = dataSource.createQueryRunner('master');
  try {
    const value = await fn(runner);
    if (!keep) await runner.release();
    return value;
  } catch (e) {
    await runner.release();
    throw e;
  }
}

/**
 * Reads a cursor's first row before the cursor is handed on, so that a connection failing at
 * once fails inside the read route (which then retries elsewhere); the row is given back first.
 */
export async function peekFirst<R>(cursor: {
  rows: AsyncIterator<R>;
  close(): Promise<void>;
}): Promise<{ rows: AsyncIterator<R>; close(): Promise<void> }> {
  let first: IteratorResult<R> | undefined;
  try {
    first = await cursor.rows.next();
  } catch (e) {
    await cursor.close();
    throw e;
  }
  const rest = cursor.rows;
  const rows: AsyncIterator<R> = {
    next: () => {
      if (!first) return rest.next();
      const r = first;
      first = undefined;
      return Promise.resolve(r);
    },
    return: rest.return?.bind(rest),
  };
  return { rows, close: cursor.close };
}
