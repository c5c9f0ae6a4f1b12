import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { JSON_CONTENT_TYPE, collectionContext } from '../serialize/json-format';
import { encodeSkipToken } from '../sql/paging';
import { countApply, readApply } from './apply-read';
import { openCursor } from './cursor';
import { matchesEtag } from './etag';
import { nextLink, pageSizeOf } from './next-link';
import type { ODataCore, RequestContext, Row } from './odata-core';
import type { SelectInput } from '../sql/build-select';
import { consistencyTokenOf } from './consistency';
import type { ODataResponse } from './odata-request';
import type { Target } from './resolve-target';
import { LONG_READ_ROWS } from './work-lane';

type CollectionTarget = Extract<Target, { kind: 'collection' }>;

/** Characters of a streamed page written at once (see frame()). */
const FRAME_CHUNK = 64 * 1024;
/** A cursor fetches at most this many rows per round trip (memory stays bounded for big pages). */
const MAX_ROWS_PER_FETCH = 2000;

/** GET Task/$count, Task(<key>)/Notes/$count: the number as text/plain. */
export async function readCount(
  core: ODataCore,
  manager: EntityManager,
  target: Extract<Target, { kind: 'count' }>,
  { req, query }: RequestContext,
): Promise<ODataResponse> {
  if (target.of.via) await core.ensureExists(req, manager, target.of.via.parent);
  const count = query.apply
    ? await countApply(core, manager, target.of, { req, query })
    : await countOf(core, manager, target.of, { req, query });
  return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: count };
}

async function countOf(
  core: ODataCore,
  manager: EntityManager,
  target: CollectionTarget,
  { req, query }: Pick<RequestContext, 'req' | 'query'>,
): Promise<string> {
  const plan = core.planCount({
    model: core.model,
    type: target.type,
    query: core.bind(target.type, query),
    scopes: target.scopes,
    scope: core.scope(req),
  });
  return String((await core.run<{ count: string }>(manager, plan))[0].count);
}

/**
 * GET Task, Task(<key>)/Notes: one page, streamed from a cursor as it is written, with
 * @odata.count, @odata.nextLink and a page ETag (304 on If-None-Match).
 */
export async function readCollection(
  core: ODataCore,
  manager: EntityManager,
  target: CollectionTarget,
  ctx: RequestContext,
): Promise<ODataResponse> {
  const { req, query, n } = ctx;
  if (target.via) await core.ensureExists(req, manager, target.via.parent);
  if (query.apply) return readApply(core, manager, target, ctx);
  const page = pageSizeOf(n.prefer, core.limits.maxPageSize);
  const omitNulls = (n.prefer.get('omit-values') ?? '').toLowerCase() === 'nulls';
  const selectInput = (q: typeof query): SelectInput => ({
    model: core.model,
    type: target.type,
    query: core.bind(target.type, q),
    metadata: n.metadata,
    scopes: target.scopes,
    pageSize: page.size,
    scope: core.scope(req),
    callerProperties: core.callerProperties(req),
    omitNulls,
    pageDigest: q.expand.length === 0,
  });
  const plan = core.planSelect(selectInput(query));
  const applied = [page.applied, omitNulls ? 'omit-values=nulls' : undefined].filter(Boolean).join(', ');
  const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE(n) };
  if (applied) headers['Preference-Applied'] = applied;

  // Top-level reads of long pages stream the page from a cursor as it is written; inside a $batch
  // change set the rows are read in the batch's transaction and framed in memory (one page at most).
  // REVISIT: a navigation read (Task(<key>)/Notes) has already used the `reading` connection
  // (ensureExists) and holds it while the cursor takes a second one, so it briefly needs two
  // connections for its one admission slot; under saturation that second one waits in the pool
  // (bounded by DB_POOL_WAIT_MS). Running the cursor on the `reading` connection would need the
  // $count query below to run before the cursor opens.
  const started = performance.now();
  // A short page (the lane's bound, work-lane.ts) is read in one round trip on the request's own
  // connection and framed in memory: a cursor costs two more round trips (fetch, close) and a
  // second connection, a stream more socket writes, for rows that fit in a few kilobytes.
  const short = plan.pageSize <= LONG_READ_ROWS;
  // A long page of a feed may have been read ahead while the client took the one before it.
  const ahead = short || req.transaction ? undefined : await core.prefetch.take(plan);
  const source =
    req.transaction || short || ahead
      ? undefined
      : await openCursor(
          { dataSource: core.dataSource, route: core.readRoute, req },
          plan,
          Math.min(plan.pageSize + 1, MAX_ROWS_PER_FETCH),
          core.limits.streamDeadlineMs ?? 60_000,
          core.limits.preparedStatements !== false,
        );
  const rows: AsyncIterator<Row> = source
    ? source.rows
    : ((ahead ?? (await core.run(manager, plan)))[Symbol.iterator]() as unknown as AsyncIterator<Row>);
  let first: IteratorResult<Row>;
  try {
    first = await rows.next();
  } catch (e) {
    await source?.close();
    throw e;
  }
  const dbMs = performance.now() - started;
  const firstRow = first.done ? undefined : first.value;

  // An empty page gives its cursor's connection back before the $count query needs one: with the
  // pool at its limit (or a pool of one) that query would otherwise wait for the cursor it follows.
  if (!firstRow) await source?.close();
  let count: string | undefined;
  if (query.count) count = firstRow ? firstRow.count : await countOf(core, manager, target, ctx);
  // The page's ETag: its rows' versions and the count (Power BI re-reads pages; 304 then).
  if (firstRow?.digest !== undefined) {
    const etag = `W/"p${createHash('sha1')
      .update(`${firstRow.digest}|${count ?? ''}|${req.search}`)
      .digest('base64url')
      .slice(0, 22)}"`;
    headers.ETag = etag;
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && matchesEtag(ifNoneMatch, etag)) {
      await source?.close();
      return { status: 304, headers: { ETag: etag } };
    }
  }
  const head: string[] = [];
  if (n.metadata !== 'none')
    head.push(`"@odata.context":${JSON.stringify(collectionContext(req.serviceRoot, target.type, query))}`);
  if (count !== undefined) head.push(`"@odata.count":${Number(count)}`);
  const open = `{${head.join(',')}${head.length ? ',' : ''}"value":[`;
  const meta = { rows: 0, dbMs };
  const nextLinkAfter = (last: Row, served: number) => {
    const after = Array.from({ length: plan.sortKeys }, (_, i) => last[`k${i}`] ?? null);
    const skiptoken = encodeSkipToken({ after, served: plan.served + served });
    // The next page's start is known now: its query runs while this page is sent (page-prefetch.ts).
    if (!short && !req.transaction && !consistencyTokenOf(req.headers))
      core.prefetchNext(req, () => selectInput({ ...query, skip: undefined, skiptoken }));
    return nextLink(req, skiptoken);
  };
  const moreWanted = plan.remaining === undefined || plan.remaining > plan.pageSize;

  // Rows are written in chunks of about FRAME_CHUNK characters, not one by one: each chunk
  // costs a socket write (a system call), and a 1,000-row page would otherwise take 1,000.
  async function* frame(): AsyncGenerator<string> {
    try {
      let chunk = open;
      let served = 0;
      let last: Row | undefined;
      let next = first;
      while (!next.done) {
        if (served === plan.pageSize) {
          // the one row beyond the page: there is a next page
          yield `${chunk}]${moreWanted ? `,"@odata.nextLink":${JSON.stringify(nextLinkAfter(last!, served))}` : ''}}`;
          meta.rows = served;
          return;
        }
        chunk += served === 0 ? next.value.j : `,${next.value.j}`;
        if (chunk.length >= FRAME_CHUNK) {
          yield chunk;
          chunk = '';
        }
        last = next.value;
        served++;
        next = await rows.next();
      }
      meta.rows = served;
      yield `${chunk}]}`;
    } finally {
      await source?.close();
    }
  }
  if (source || ahead) {
    // Written in chunks as the client takes them, a page read ahead too (no 1 MB string).
    const body = Readable.from(frame(), { objectMode: false });
    // A client that leaves before (or while) reading must not keep the cursor's connection.
    body.once('close', () => void source?.close());
    return { status: 200, headers, body, meta };
  }
  let body = '';
  for await (const chunk of frame()) body += chunk;
  return { status: 200, headers, body, meta };
}
