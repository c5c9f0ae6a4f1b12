import QueryStream from 'pg-query-stream';
import type { DataSource } from 'typeorm';
import type { Row } from './odata-core';

export interface Cursor {
  rows: AsyncIterator<Row>;
  close(): Promise<void>;
}

/**
 * Rows of one statement from a server-side cursor, on a connection held until close(). The
 * cursor is read as the client consumes the response; a client too slow to take one page
 * within `deadlineMs` loses it, so no connection is held hostage.
 */
export async function openCursor(
  dataSource: DataSource,
  sql: string,
  parameters: unknown[],
  rowsPerFetch: number,
  deadlineMs: number,
): Promise<Cursor> {
  const runner = dataSource.createQueryRunner('slave');
  let closed = false;
  try {
    // As TypeORM's runner.stream(), but with the fetch size chosen here: a page comes in one
    // round trip rather than TypeORM's default of 100 rows per FETCH.
    const connection: { query(q: QueryStream): QueryStream } = await runner.connect();
    const stream = connection.query(new QueryStream(sql, parameters, { batchSize: rowsPerFetch }));
    stream.on('error', () => undefined); // reported through the iterator; never an unhandled 'error'
    const rows = (stream as unknown as AsyncIterable<Row>)[Symbol.asyncIterator]();
    const close = async () => {
      if (closed) return;
      closed = true;
      clearTimeout(deadline);
      // Close the cursor before the connection goes back to the pool; a connection whose
      // cursor does not close promptly is discarded rather than reused half-read.
      const cursorClosed =
        stream.destroyed && (stream as { closed?: boolean }).closed
          ? Promise.resolve(true)
          : new Promise<boolean>((done) => {
              const timer = setTimeout(() => done(false), 1000);
              stream.once('close', () => {
                clearTimeout(timer);
                done(true);
              });
              stream.destroy();
            });
      if (await cursorClosed) await runner.release();
      else
        await (
          runner as unknown as { releasePostgresConnection(err: Error): Promise<void> }
        ).releasePostgresConnection(new Error('cursor not closed'));
    };
    const deadline = setTimeout(() => void close(), deadlineMs);
    deadline.unref();
    return { rows, close };
  } catch (e) {
    await runner.release();
    throw e;
  }
}
