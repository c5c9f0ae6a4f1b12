/**
 * Issue 19's cost measure: on the loaded data set, a tracked read of one project's tasks issues a
 * delta link; then 1,000 changes go through the API (600 PATCH of tasks the link's read returned,
 * 300 POST into the project, 100 DELETE); then the link is followed (every page), several times,
 * and timed. The delta must report exactly those changes: the 600 with their new values and the 300
 * new ones as entities, the 100 as `@removed` (deleted), nothing else. For scale: an empty delta
 * (its new link followed at once) and the set read again in full. Everything written is removed.
 */
import { BenchContext, errorText, timeout } from './bench-context';
import { settle } from './database';
import { uuid } from './dataset-rules';
import { BENCH_DATES_FROM, benchKey, benchTask, encodeRequest } from './query-mix';
import type { DeltaResult } from './results';
import { changeLogMark, cleanUpBenchWrites, dropChangeLogSince } from './write-cases';

/** The project the delta case tracks (1,000 data set tasks at N = 1,000,000; the write cases use 999). */
const PROJECT = uuid('project-998');
const STATUS = uuid('status-998-0');
const REQUEST = `Task?$filter=ProjectId eq ${PROJECT}`;
const CHANGES = { updated: 600, created: 300, deleted: 100 };
/** Tasks of the project created (by SQL) before the link: the ones the changes update and delete. */
const EXISTING = CHANGES.updated + CHANGES.deleted;
const FOLLOWS = 5;
/** Requests in flight while making the changes. */
const WRITERS = 4;

type Entry = Record<string, any>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** GET a link and every nextLink: the rows/entries, the last page's deltaLink, pages and time. */
async function follow(ctx: BenchContext, url: string, headers: Record<string, string> = {}) {
  const t0 = performance.now();
  const entries: Entry[] = [];
  let next: string | undefined = url;
  let pages = 0;
  let deltaLink: string | undefined;
  while (next) {
    // OData 4.01: removed entries as @removed (a 4.0 client gets $deletedEntity entries)
    const all = { ...ctx.service.headers, 'OData-MaxVersion': '4.01', ...headers };
    const res = await fetch(next, { headers: all, signal: timeout() });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${next}: HTTP ${res.status} ${text.slice(0, 200)}`);
    const body = JSON.parse(text);
    pages++;
    entries.push(...body.value);
    next = body['@odata.nextLink'];
    deltaLink = body['@odata.deltaLink'];
  }
  return { entries, pages, deltaLink, ms: performance.now() - t0 };
}

/** Runs `items` through `fn`, WRITERS at a time; returns the failures. */
async function inParallel<T>(items: T[], fn: (item: T) => Promise<Response>): Promise<string[]> {
  const failed: string[] = [];
  let at = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (at < items.length) {
        const res = await fn(items[at++]);
        const text = await res.text();
        if (!res.ok) failed.push(`HTTP ${res.status} ${text.slice(0, 120)}`);
      }
    }),
  );
  return failed;
}

/** What the delta should hold and does not, or holds and should not. */
function deltaProblems(
  entries: Entry[],
  want: { updated: Map<string, string>; created: Set<string>; deleted: Set<string> },
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (e['@removed']) {
      const key = /\(([^)]+)\)$/.exec(String(e['@id']))?.[1]?.toLowerCase() ?? '?';
      if (seen.has(key)) problems.push(`${key} twice`);
      seen.add(key);
      if (!want.deleted.has(key)) problems.push(`${key} removed (${e['@removed'].reason}) but not deleted`);
      else if (e['@removed'].reason !== 'deleted') problems.push(`${key} removed as ${e['@removed'].reason}`);
      continue;
    }
    const key = String(e.TaskItemId).toLowerCase();
    if (seen.has(key)) problems.push(`${key} twice`);
    seen.add(key);
    if (want.updated.has(key)) {
      if (e.Name !== want.updated.get(key)) problems.push(`${key} has Name ${e.Name}, not the patched one`);
    } else if (!want.created.has(key)) problems.push(`${key} reported but not changed`);
  }
  for (const key of [...want.updated.keys(), ...want.created, ...want.deleted])
    if (!seen.has(key)) problems.push(`${key} missing`);
  return problems.length > 5 ? [...problems.slice(0, 5), `… ${problems.length} problems in all`] : problems;
}

export async function runDelta(ctx: BenchContext): Promise<DeltaResult | undefined> {
  const { client } = ctx;
  const run = Math.floor(Math.random() * 0xffff);
  const mark = await changeLogMark(client);
  ctx.log(
    `Delta: ${REQUEST} with Prefer: odata.track-changes, then ${CHANGES.updated + CHANGES.created + CHANGES.deleted} changes`,
  );
  try {
    // The tasks the changes update and delete, in the tracked project before the link is issued.
    const existing = Array.from({ length: EXISTING }, (_, j) => benchKey(run, 0xd00000 + j));
    await client.query(
      `INSERT INTO task ("TaskItemId", "Name", "ProjectId", "TaskItemStatusId", "StartDateTime", "EndDateTime", "CardPositionNumber")
       SELECT k, 'bench delta ' || o, $2, $3, $4::timestamptz, $4::timestamptz + interval '1 day', 1000000000 + o::int
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(k, o)`,
      [existing, PROJECT, STATUS, BENCH_DATES_FROM],
    );
    await client.query('ANALYZE task');
    const url = `${ctx.service.origin}/odata/${encodeRequest(REQUEST)}`;
    const tracked = await follow(ctx, url, { Prefer: 'odata.track-changes' });
    if (!tracked.deltaLink) {
      ctx.log('  the tracked read gave no @odata.deltaLink: not supported');
      return undefined;
    }
    const inRead = new Set(tracked.entries.map((e) => String(e.TaskItemId).toLowerCase()));
    const lost = existing.filter((k) => !inRead.has(k));
    ctx.log(
      `  tracked read: ${tracked.entries.length} rows in ${tracked.pages} pages, ${tracked.ms.toFixed(0)} ms`,
    );

    const updated = new Map(existing.slice(0, CHANGES.updated).map((k) => [k, `bench delta updated ${k}`]));
    const deleted = new Set(existing.slice(CHANGES.updated));
    const created = new Set(Array.from({ length: CHANGES.created }, (_, j) => benchKey(run, 0xe00000 + j)));
    const headers = { ...ctx.service.headers, 'content-type': 'application/json' };
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${ctx.service.origin}/odata/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeout(),
      });
    const t0 = performance.now();
    const failed = [
      ...(await inParallel([...updated], ([k, name]) =>
        api('PATCH', `Task(${k})`, { Name: name, WorkAmount: 7.5 }),
      )),
      ...(await inParallel([...created], (k) =>
        api('POST', 'Task', {
          ...benchTask(k, `delta new ${k}`),
          ProjectId: PROJECT,
          TaskItemStatusId: STATUS,
        }),
      )),
      ...(await inParallel([...deleted], (k) => api('DELETE', `Task(${k})`))),
    ];
    const changeMs = performance.now() - t0;
    await settle(client);
    ctx.log(
      `  changes: ${updated.size} PATCH, ${created.size} POST, ${deleted.size} DELETE in ${changeMs.toFixed(0)} ms`,
    );

    const follows: Awaited<ReturnType<typeof follow>>[] = [];
    for (let k = 0; k < FOLLOWS; k++) follows.push(await follow(ctx, tracked.deltaLink));
    const last = follows[follows.length - 1];
    const problems = [
      ...(lost.length ? [`the tracked read missed ${lost.length} of the project's tasks`] : []),
      ...(failed.length ? [`${failed.length} change requests failed: ${failed[0]}`] : []),
      ...deltaProblems(last.entries, { updated, created, deleted }),
      ...(follows.some((f) => f.entries.length !== last.entries.length)
        ? ['following the same link twice gave different answers']
        : []),
    ];
    let emptyMs: number | undefined;
    if (last.deltaLink) {
      const empties: number[] = [];
      for (let k = 0; k < 3; k++) {
        const e = await follow(ctx, last.deltaLink);
        if (e.entries.length)
          problems.push(`the next delta link (no changes since) gave ${e.entries.length} entries`);
        empties.push(e.ms);
      }
      emptyMs = median(empties);
    } else problems.push('the delta gave no new @odata.deltaLink');
    const fullReads: number[] = [];
    for (let k = 0; k < 3; k++) fullReads.push((await follow(ctx, url)).ms);
    const fullReadMs = median(fullReads);
    const followMs = follows.map((f) => f.ms);
    const medianMs = median(followMs);
    const result: DeltaResult = {
      id: 'delta',
      request: REQUEST,
      trackedRows: tracked.entries.length,
      trackedMs: tracked.ms,
      changes: { updated: updated.size, created: created.size, deleted: deleted.size },
      changedBy: `API requests, ${WRITERS} at a time (PATCH Name and WorkAmount, POST, DELETE)`,
      changeMs,
      entries: last.entries.length,
      pages: last.pages,
      followMs,
      medianMs,
      entriesPerSecond: last.entries.length / (medianMs / 1000),
      emptyMs,
      fullReadMs,
      ok: problems.length === 0,
      problems,
    };
    ctx.log(
      `  delta: ${result.entries} entries in ${result.pages} pages, median ${medianMs.toFixed(1)} ms of ${FOLLOWS} follows; empty delta ${emptyMs?.toFixed(1) ?? '–'} ms; set read again ${fullReadMs.toFixed(1)} ms${problems.length ? `; PROBLEMS: ${problems.slice(0, 3).join('; ')}` : '; exactly the changes'}`,
    );
    return result;
  } catch (e) {
    ctx.problems.push(`delta: ${errorText(e)}`);
    return undefined;
  } finally {
    await settle(client);
    const cleaned = await cleanUpBenchWrites(client, { restore: false });
    const events = await dropChangeLogSince(client, mark);
    ctx.log(`  clean-up: ${cleaned.removed} bench tasks removed, ${events} change events dropped`);
  }
}
