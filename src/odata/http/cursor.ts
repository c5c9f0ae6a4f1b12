import QueryStream from 'pg-query-stream';
import type { DataSource, QueryRunner } from 'typeorm';
import { ReadRoute, peekFirst, readOn } from './consistency';
import { boundDestroy } from './cursor-destroy';
import type { ODataRequest } from './odata-request';
import type { Row } from './odata-core';
import type { Statement } from '../plan/planner';
import { PgClient, corked, makeRoomFor } from '../plan/execute';

export interface Cursor {
  rows: AsyncIterator<Row>;
  close(): Promise<void>;
}

/**
 * Rows of one statement from a server-side cursor, on a connection held until close(). The
 * cursor is read as the client consumes the response; a client too slow to take one page
 * within `deadlineMs` loses it, so no connection is held hostage. Outside a transaction the read
 * route picks the connection (a replica that has replayed past the request's consistency token,
 * or the primary); the first row is read here, so a replica failing at once is retried elsewhere.
 */
export function openCursor(
  on: { dataSource: DataSource; route?: ReadRoute; req: ODataRequest },
  st: Statement,
  rowsPerFetch: number,
  deadlineMs: number,
  prepared = true,
): Promise<Cursor> {
  return readOn(
    on.dataSource,
    on.route,
    on.req,
    async (runner) => peekFirst(await cursorOn(runner, st, rowsPerFetch, deadlineMs, prepared)),
    true,
  );
}

async function cursorOn(
  runner: QueryRunner,
  st: Statement,
  rowsPerFetch: number,
  deadlineMs: number,
  usePrepared: boolean,
): Promise<Cursor> {
  const prepared = usePrepared && st.name !== ''; // unnamed: planned per request (planner.ts)
  let closed = false;
  try {
    // As TypeORM's runner.stream(), but with the fetch size chosen here: a page comes in one
    // round trip rather than TypeORM's default of 100 rows per FETCH.
    const connection: PgClient & { query(q: QueryStream): QueryStream } = await runner.connect();
    if (prepared) await makeRoomFor(connection, st.name);
    const query = new QueryStream(st.sql, st.parameters, { batchSize: rowsPerFetch });
    corkFetches(query, connection);
    const stream = corked(connection, () => connection.query(prepared ? named(query, st) : query));
    boundDestroy(stream); // a dead connection must not leave its reader waiting (cursor-destroy.ts)
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

/** A cursor's later round trips (Execute + Flush per fetch, Close + Sync) in one socket write each. */
function corkFetches(stream: QueryStream, client: PgClient): void {
  const cursor = (
    stream as unknown as { cursor: Record<'_getRows' | '_closePortal', (...a: unknown[]) => void> }
  ).cursor;
  for (const method of ['_getRows', '_closePortal'] as const) {
    const original = cursor[method].bind(cursor);
    cursor[method] = (...args: unknown[]) => corked(client, () => original(...args));
  }
}

/** pg's connection, as far as a named cursor needs it. */
interface PgConnection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(msg: { text: string; name?: string }, more?: boolean): void;
  bind(msg: { statement?: string }, more?: boolean): void;
}

/**
 * pg-cursor parses its text as an unnamed statement on every request. This makes it a named one,
 * parsed once per connection: the first time the statement is parsed under its name, after that
 * only bound (pg records it as parsed on ParseComplete, as for its own named queries).
 */
function named(stream: QueryStream, st: Statement): QueryStream {
  const cursor = (stream as unknown as { cursor: { submit(con: PgConnection): void } }).cursor;
  const submit = cursor.submit.bind(cursor);
  cursor.submit = (con) => {
    const known =
      con.parsedStatements[st.name] !== undefined || con.submittedNamedStatements[st.name] !== undefined;
    const { parse, bind } = con;
    con.parse = (msg, more) => {
      if (known) return;
      con.submittedNamedStatements[st.name] = st.sql;
      parse.call(con, { ...msg, name: st.name }, more);
    };
    con.bind = (msg, more) => bind.call(con, { ...msg, statement: st.name }, more);
    try {
      submit(con);
    } finally {
      con.parse = parse;
      con.bind = bind;
    }
  };
  Object.assign(stream, { name: st.name, text: st.sql });
  return stream;
}
